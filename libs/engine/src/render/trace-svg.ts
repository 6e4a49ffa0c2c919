import type { DnsTrace, ProbeTrace } from '../trace/trace-types';
import type { ScenarioResult } from '../scenario/scenario-types';
import { CHAR_WIDTH, element, LINE_HEIGHT, svgDocument, textLines, wrap } from './svg-document';
import {
  failed,
  hopLines,
  singleTrace,
  tracedSteps,
  verdictText,
  type TracedStep,
} from './traced-steps';

const MARGIN = 16;
const BOX_WIDTH = 330;
const LANE_GAP = 26;
const ROW_GAP = 22;
const PAD = 7;
const BOX_CHARS = Math.floor((BOX_WIDTH - 2 * PAD) / CHAR_WIDTH);
const PANEL_GAP = 36;
const RED = '#c62828';

/**
 * An SVG of the probes and lookups of a scenario, drawn without a layout engine: for each traced
 * step, one swimlane per node the packet passes (and "outside"), one box per hop in trace order in
 * its node's lane, arrows between consecutive hops, replies dashed, and the verdict below (red when
 * the packet did not get through). The same graph as the DOT and Mermaid renderings.
 */
export function renderScenarioSvg(result: ScenarioResult, title = 'netplay'): string {
  const panels = tracedSteps(result).map(panel);
  const width = Math.max(360, ...panels.map((p) => p.width)) + 2 * MARGIN;
  let y = MARGIN;
  const body: string[] = [element('defs', {}, ARROW_MARKERS)];
  for (const p of panels) {
    body.push(element('g', { transform: `translate(${MARGIN} ${y})` }, p.body.join('')));
    y += p.height + PANEL_GAP;
  }
  if (!panels.length) body.push(textLines(MARGIN, MARGIN + LINE_HEIGHT, ['no probe or lookup']));
  const height = panels.length ? y - PANEL_GAP + MARGIN : 2 * MARGIN + LINE_HEIGHT;
  return svgDocument(width, height, title, body);
}

/** One trace on its own. */
export function renderTraceSvg(trace: ProbeTrace | DnsTrace, title = 'trace'): string {
  return renderScenarioSvg(singleTrace(trace), title);
}

const ARROW_MARKERS = ['#37474f', RED]
  .map((colour, i) =>
    element(
      'marker',
      {
        id: `arrow${i}`,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto',
      },
      element('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }),
    ),
  )
  .join('');

interface Panel {
  width: number;
  height: number;
  body: string[];
}

function panel({ heading, trace }: TracedStep): Panel {
  const lanes = [...new Set(trace.hops.map((hop) => hop.node ?? 'outside'))];
  const laneX = (lane: string) => lanes.indexOf(lane) * (BOX_WIDTH + LANE_GAP);
  const width = Math.max(lanes.length * (BOX_WIDTH + LANE_GAP) - LANE_GAP, BOX_WIDTH);
  const headingLines = wrap(heading, Math.floor(width / CHAR_WIDTH));
  const lanesTop = headingLines.length * LINE_HEIGHT + 8;
  const boxes: string[] = [];
  const arrows: string[] = [];
  let y = lanesTop + LINE_HEIGHT + 10;
  let previous: { x: number; bottom: number } | null = null;
  for (const hop of trace.hops) {
    const [where, packet, description] = hopLines(hop);
    const lines = [
      ...wrap(where, BOX_CHARS),
      ...wrap(packet, BOX_CHARS),
      ...wrap(description, BOX_CHARS),
    ];
    const x = laneX(hop.node ?? 'outside');
    const height = lines.length * LINE_HEIGHT + 2 * PAD;
    const reply = hop.direction === 'reply';
    boxes.push(
      element('rect', {
        x,
        y,
        width: BOX_WIDTH,
        height,
        rx: 4,
        fill: reply ? '#fffbeb' : '#f3f6fa',
        stroke: '#37474f',
        'stroke-dasharray': reply ? '5 4' : undefined,
      }),
      textLines(x + PAD, y + PAD + FONT_ASCENT, lines.slice(0, 1), { 'font-weight': 'bold' }),
      textLines(x + PAD, y + PAD + FONT_ASCENT + LINE_HEIGHT, lines.slice(1)),
    );
    if (previous) arrows.push(arrow(previous, { x, top: y }, false));
    previous = { x, bottom: y + height };
    y += height + ROW_GAP;
  }
  const isFailed = failed(trace);
  const verdictLines = [
    verdictText(trace),
    ...wrap(trace.reason, Math.floor((width - 2 * PAD) / CHAR_WIDTH)),
  ];
  const verdictHeight = verdictLines.length * LINE_HEIGHT + 2 * PAD;
  const colour = isFailed ? RED : '#2e7d32';
  if (previous) arrows.push(arrow(previous, { x: previous.x, top: y }, isFailed));
  boxes.push(
    element('rect', {
      x: 0,
      y,
      width,
      height: verdictHeight,
      rx: 12,
      fill: '#ffffff',
      stroke: colour,
      'stroke-width': 2,
    }),
    textLines(PAD * 2, y + PAD + FONT_ASCENT, verdictLines.slice(0, 1), {
      fill: colour,
      'font-weight': 'bold',
    }),
    textLines(PAD * 2, y + PAD + FONT_ASCENT + LINE_HEIGHT, verdictLines.slice(1), {
      fill: colour,
    }),
  );
  const height = y + verdictHeight;
  const laneBands = lanes.map((lane) =>
    [
      element('rect', {
        x: laneX(lane) - 6,
        y: lanesTop,
        width: BOX_WIDTH + 12,
        height: y - lanesTop - 8,
        fill: '#eceff1',
        rx: 6,
      }),
      textLines(laneX(lane) + PAD, lanesTop + LINE_HEIGHT, [lane], {
        'font-weight': 'bold',
        fill: '#455a64',
      }),
    ].join(''),
  );
  return {
    width,
    height,
    body: [
      textLines(0, LINE_HEIGHT - 3, headingLines, { 'font-weight': 'bold', 'font-size': 12 }),
      ...laneBands,
      ...arrows,
      ...boxes,
    ],
  };
}

/** Baseline offset of the first line inside a box. */
const FONT_ASCENT = 10;

/** From the bottom centre of one box to the top centre of the next, with right-angle bends. */
function arrow(
  from: { x: number; bottom: number },
  to: { x: number; top: number },
  red: boolean,
): string {
  const x1 = from.x + BOX_WIDTH / 2;
  const x2 = to.x + BOX_WIDTH / 2;
  const mid = from.bottom + ROW_GAP / 2;
  const d =
    x1 === x2
      ? `M${x1},${from.bottom} V${to.top}`
      : `M${x1},${from.bottom} V${mid} H${x2} V${to.top}`;
  return element('path', {
    d,
    fill: 'none',
    stroke: red ? RED : '#37474f',
    'stroke-width': 1.2,
    'marker-end': `url(#arrow${red ? 1 : 0})`,
  });
}
