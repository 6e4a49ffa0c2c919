/**
 * The cluster as a picture (SVG): nodes holding their pods, Services and their endpoints,
 * Ingresses and Gateways, the outside client, policy shields, and the probe's packet travelling
 * hop by hop. Zoom and pan change the viewBox (buttons, wheel, drag, or + − and arrow keys when
 * the picture has focus); every box is a button that selects it.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { EXTERNAL_ID, type ClusterPicture, type PicturePod } from '../view/picture-model';
import { centreOf, layoutPicture, PENDING_NODE_ID, type Box } from '../view/layout';
import {
  centreOn,
  fitViewBox,
  outside,
  panViewBox,
  readableViewBox,
  zoomViewBox,
  type ViewBox,
} from '../view/viewbox';

export interface ClusterViewProps {
  picture: ClusterPicture;
  /** Picture element per hop of the current trace. */
  locations: string[];
  /** Index of the hop shown, -1 for none. */
  step: number;
  selected: string | null;
  onSelect: (id: string | null) => void;
  reducedMotion: boolean;
  /** Hop index where the packet was dropped, if it was. */
  droppedAt: number | null;
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

export function ClusterView(props: ClusterViewProps) {
  const { picture, locations, step, selected, onSelect, reducedMotion, droppedAt } = props;
  const layout = useMemo(() => layoutPicture(picture), [picture]);
  const bounds = useMemo(() => fitViewBox(layout.width, layout.height), [layout]);
  const [viewBox, setViewBox] = useState<ViewBox>(bounds);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const firstLocation = locations[0];
  // A picture too big to read whole opens legibly around the probe's source; Fit shows it all.
  useEffect(() => {
    const element = svg.current;
    const focusBox = layout.boxes.get(firstLocation ?? '') ?? layout.boxes.get(EXTERNAL_ID);
    const screen = { w: element?.clientWidth ?? 0, h: element?.clientHeight ?? 0 };
    setViewBox(
      readableViewBox(layout.width, layout.height, screen, focusBox && centreOf(focusBox)),
    );
  }, [layout, firstLocation]);

  const visited = useMemo(() => new Set(locations.slice(0, step + 1)), [locations, step]);
  const pathPoints = locations
    .slice(0, step + 1)
    .map((id) => layout.boxes.get(id))
    .filter((b): b is Box => b !== undefined)
    .map(centreOf);
  const packetAt = step >= 0 ? layout.boxes.get(locations[step]) : undefined;
  const packetCentre = packetAt ? centreOf(packetAt) : undefined;

  // The camera follows the packet when it leaves the part of the picture on screen.
  useEffect(() => {
    if (!packetCentre) return;
    setViewBox((v) =>
      v.w < layout.width && outside(v, packetCentre) ? centreOn(v, packetCentre) : v,
    );
    // packetCentre and layout are new objects on every render; the camera moves when the packet does.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- moves with the packet, not each render
  }, [step, locations]);

  const scaleOf = () => viewBox.w / (svg.current?.clientWidth || viewBox.w);
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (event.target !== event.currentTarget) return;
    const step = 60 * scaleOf();
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (moves[event.key]) setViewBox((v) => panViewBox(v, ...moves[event.key]));
    else if (event.key === '+' || event.key === '=') setViewBox((v) => zoomViewBox(v, 0.8));
    else if (event.key === '-') setViewBox((v) => zoomViewBox(v, 1.25));
    else if (event.key === '0') setViewBox(bounds);
    else return;
    event.preventDefault();
  };
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if ((event.target as Element).closest('[data-box]')) return;
    drag.current = { x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!drag.current) return;
    const k = scaleOf();
    const dx = (drag.current.x - event.clientX) * k;
    const dy = (drag.current.y - event.clientY) * k;
    drag.current = { x: event.clientX, y: event.clientY };
    setViewBox((v) => panViewBox(v, dx, dy));
  };
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    // A non-passive listener: the wheel zooms the picture instead of scrolling the page.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      setViewBox((v) => zoomViewBox(v, event.deltaY > 0 ? 1.15 : 0.87));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const box = (id: string) => layout.boxes.get(id);
  // A box's accessible name is its visible text (name, addresses, readiness, shields), so what a
  // screen reader says matches what is drawn; `describe` adds what only colour or position shows.
  const selectable = (id: string, describe: string) => ({
    'data-box': id,
    role: 'button',
    tabIndex: 0,
    'aria-description': describe,
    'aria-pressed': selected === id,
    className: `box${selected === id ? ' selected' : ''}${visited.has(id) ? ' on-path' : ''}`,
    onClick: () => onSelect(selected === id ? null : id),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(selected === id ? null : id);
      }
    },
  });

  return (
    <div className="cluster-view">
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" onClick={() => setViewBox((v) => zoomViewBox(v, 0.8))}>
          Zoom in
        </button>
        <button type="button" onClick={() => setViewBox((v) => zoomViewBox(v, 1.25))}>
          Zoom out
        </button>
        <button type="button" onClick={() => setViewBox(bounds)}>
          Fit
        </button>
      </div>
      <svg
        ref={svg}
        className={`picture${reducedMotion ? ' no-motion' : ''}`}
        viewBox={`${viewBox.x} ${viewBox.y} ${viewBox.w} ${viewBox.h}`}
        role="group"
        aria-label="Cluster picture: use arrow keys to pan, + and − to zoom, 0 to fit"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
        </defs>
        <g className="edges" aria-hidden="true">
          {layout.edges.map((edge) => {
            const a = box(edge.from);
            const b = box(edge.to);
            if (!a || !b) return null;
            const onPath = visited.has(edge.from) && visited.has(edge.to);
            return (
              <line
                key={`${edge.from}>${edge.to}`}
                x1={a.x + a.w / 2}
                y1={a.y + a.h}
                x2={b.x + b.w / 2}
                y2={b.y}
                className={`edge ${edge.kind}${edge.ready ? '' : ' not-ready'}${onPath ? ' on-path' : ''}`}
              />
            );
          })}
        </g>
        <ExternalBox
          box={box(EXTERNAL_ID)}
          props={selectable(EXTERNAL_ID, 'External client (outside the cluster)')}
        />
        {picture.entries.map((entry) => {
          const b = box(entry.id);
          if (!b) return null;
          return (
            <g
              key={entry.id}
              {...selectable(entry.id, `${entry.kind} ${entry.namespace}/${entry.name}`)}
            >
              <BoxRect box={b} rx={6} className="entry-rect" />
              <text x={b.x + 10} y={b.y + 18} className="title">
                {clip(`${entry.kind} ${entry.namespace}/${entry.name}`, 30)}
              </text>
              <text x={b.x + 10} y={b.y + 36} className="small">
                {clip(`class ${entry.className || '—'} · ${entry.controller}`, 36)}
              </text>
              <text x={b.x + 10} y={b.y + 54} className="small">
                {clip(
                  entry.addresses.length
                    ? `address ${entry.addresses.join(', ')}${entry.announcedBy.length ? ` via ${entry.announcedBy.join(', ')}` : ''}`
                    : 'no address',
                  40,
                )}
              </text>
            </g>
          );
        })}
        {picture.services.map((svc) => {
          const b = box(svc.id);
          if (!b) return null;
          const lb = svc.loadBalancer[0];
          return (
            <g
              key={svc.id}
              {...selectable(
                svc.id,
                `Service ${svc.namespace}/${svc.name}, ${svc.type} ${svc.clusterIP}`,
              )}
            >
              <BoxRect box={b} rx={6} className="service-rect" />
              <text x={b.x + 10} y={b.y + 17} className="title">
                {clip(`svc ${svc.namespace}/${svc.name}`, 28)}
              </text>
              <text x={b.x + 10} y={b.y + 34} className="small">
                {clip(`${svc.type} ${svc.externalName ?? svc.clusterIP}`, 32)}
              </text>
              <text x={b.x + 10} y={b.y + 50} className="small">
                {clip(svc.ports.join(', ') || 'no ports', 32)}
              </text>
              <text x={b.x + 10} y={b.y + 66} className="small">
                {clip(
                  lb
                    ? `LB ${lb.ip} ${lb.announcedBy.length ? `via ${lb.announcedBy.join(', ')}` : '(not announced)'}`
                    : svc.externalIPs.length
                      ? `external ${svc.externalIPs.join(', ')}`
                      : `${svc.endpoints.filter((e) => e.ready).length}/${svc.endpoints.length} endpoints ready`,
                  32,
                )}
              </text>
            </g>
          );
        })}
        {[
          ...picture.nodes,
          ...(picture.pendingPods.length
            ? [
                {
                  id: PENDING_NODE_ID,
                  name: 'Pending (no node)',
                  ip: '',
                  role: 'worker' as const,
                  ready: false,
                  pods: picture.pendingPods,
                },
              ]
            : []),
        ].map((node) => {
          const b = box(node.id);
          if (!b) return null;
          return (
            <g key={node.id}>
              <g
                {...selectable(
                  node.id,
                  `Node ${node.name} ${node.ip}, ${node.ready ? 'Ready' : 'NotReady'}`,
                )}
              >
                <BoxRect box={b} rx={8} className={`node-rect${node.ready ? '' : ' not-ready'}`} />
                <text x={b.x + 12} y={b.y + 24} className="title">
                  {clip(
                    `${node.name} · ${node.ip} · ${node.role}${node.ready ? '' : ' · NotReady'}`,
                    Math.floor(b.w / 7.5),
                  )}
                </text>
              </g>
              {node.pods.map((pod) => (
                <PodBox
                  key={pod.id}
                  pod={pod}
                  b={box(pod.id)}
                  props={selectable(pod.id, podLabel(pod))}
                />
              ))}
            </g>
          );
        })}
        {pathPoints.length > 1 && (
          <polyline
            className="packet-path"
            points={pathPoints.map((p) => `${p.x},${p.y}`).join(' ')}
            markerEnd="url(#arrow)"
            aria-hidden="true"
          />
        )}
        {packetCentre && (
          <g
            className={`packet${droppedAt === step ? ' dropped' : ''}`}
            style={{ transform: `translate(${packetCentre.x}px, ${packetCentre.y}px)` }}
            aria-hidden="true"
          >
            <circle r={11} />
            <text y={4} textAnchor="middle">
              {droppedAt === step ? '✕' : step + 1}
            </text>
          </g>
        )}
      </svg>
    </div>
  );
}

function podLabel(pod: PicturePod): string {
  const shields = [pod.isolation.ingress && 'ingress', pod.isolation.egress && 'egress'].filter(
    Boolean,
  );
  return `Pod ${pod.namespace}/${pod.name} ${pod.ip || 'no IP'}, ${pod.ready ? 'ready' : 'not ready'}${
    shields.length ? `, isolated for ${shields.join(' and ')}` : ''
  }`;
}

type BoxProps = Record<string, unknown>;

function ExternalBox({ box, props }: { box: Box | undefined; props: BoxProps }) {
  if (!box) return null;
  return (
    <g {...props}>
      <BoxRect box={box} rx={22} className="external-rect" />
      <text x={box.x + box.w / 2} y={box.y + 27} textAnchor="middle" className="title">
        External client
      </text>
    </g>
  );
}

function PodBox({ pod, b, props }: { pod: PicturePod; b: Box | undefined; props: BoxProps }) {
  if (!b) return null;
  const labels = Object.entries(pod.labels)
    .filter(([k]) => k !== 'pod-template-hash')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return (
    <g {...props}>
      <BoxRect box={b} rx={5} className={`pod-rect${pod.ready ? '' : ' not-ready'}`} />
      <text x={b.x + 8} y={b.y + 16} className="title small-title">
        {clip(pod.name, 22)}
      </text>
      <text x={b.x + 8} y={b.y + 32} className="small">
        {clip(`${pod.namespace} · ${pod.ip || 'no IP'}`, 26)}
      </text>
      <text x={b.x + 8} y={b.y + 47} className="small muted-text">
        {clip(labels || 'no labels', 26)}
      </text>
      <text x={b.x + 8} y={b.y + 61} className={`small ${pod.ready ? 'ok-text' : 'bad-text'}`}>
        {pod.ready ? '✓ Ready' : `✕ ${pod.phase === 'Pending' ? 'Pending' : 'Not ready'}`}
      </text>
      {(pod.isolation.ingress || pod.isolation.egress) && (
        <g className="shield">
          <title>{`isolated by ${pod.isolation.policies.join(', ')}`}</title>
          <rect x={b.x + b.w - 84} y={b.y + b.h - 19} width={80} height={16} rx={3} />
          <path d={shieldPath(b.x + b.w - 80, b.y + b.h - 17)} className="shield-icon" />
          <text x={b.x + b.w - 40} y={b.y + b.h - 7} textAnchor="middle">
            {`policy ${[pod.isolation.ingress && 'in', pod.isolation.egress && 'out'].filter(Boolean).join('+')}`}
          </text>
        </g>
      )}
    </g>
  );
}

/** A small shield outline (10 × 12) at x, y: the NetworkPolicy mark beside its words. */
function shieldPath(x: number, y: number): string {
  return `M ${x} ${y + 1} L ${x + 5} ${y - 1} L ${x + 10} ${y + 1} L ${x + 10} ${y + 6} Q ${x + 10} ${y + 10} ${x + 5} ${y + 12} Q ${x} ${y + 10} ${x} ${y + 6} Z`;
}

/** The outline of a box at its laid-out place. */
function BoxRect({ box, rx, className }: { box: Box; rx: number; className: string }) {
  return <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={rx} className={className} />;
}
