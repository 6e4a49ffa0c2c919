// How a run's traces are rendered: JSON (the engine's schema'd result, passed through), the CLI's
// text (`Accept: text/plain` or `?format=text`), or a picture of each probe's hops: Graphviz DOT
// (`?format=dot`), Mermaid (`?format=mermaid`) or SVG (`Accept: image/svg+xml` or `?format=svg`).
// The renderers are the engine's, so the API prints exactly what `netplay run --format …` prints.
import {
  renderScenario,
  renderScenarioDot,
  renderScenarioMermaid,
  renderScenarioSvg,
  type ScenarioResult,
  type StepResult,
} from '@netplay/engine';

export const TRACE_FORMATS = ['json', 'text', 'dot', 'mermaid', 'svg'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export const TRACE_CONTENT_TYPES: Record<Exclude<TraceFormat, 'json'>, string> = {
  text: 'text/plain; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
  // Mermaid has no registered media type; this is the one its tooling and GitLab use.
  mermaid: 'text/vnd.mermaid; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
};

export type FormatChoice = { ok: true; format: TraceFormat } | { ok: false; message: string };

/** Media types of the renderings, in the order the server prefers them when the client has none. */
const NEGOTIATED: readonly [string, TraceFormat][] = [
  ['application/json', 'json'],
  ['text/plain', 'text'],
  ['text/vnd.graphviz', 'dot'],
  ['text/vnd.mermaid', 'mermaid'],
  ['image/svg+xml', 'svg'],
];

/**
 * Content negotiation as Express does it (`request.accepts`): the type the request's `Accept`
 * ranks highest by q-value, then specificity, then its own order. */
export type AcceptsNegotiator = (types: string[]) => string | false;

/**
 * `?format=` wins over `Accept`; without either, or with an Accept that names none of the
 * renderings, JSON.
 */
export function chooseTraceFormat(formatQuery: unknown, accepts: AcceptsNegotiator): FormatChoice {
  if (formatQuery !== undefined && formatQuery !== '') {
    const format = TRACE_FORMATS.find((candidate) => candidate === formatQuery);
    return format
      ? { ok: true, format }
      : { ok: false, message: `format must be one of ${TRACE_FORMATS.join(', ')}` };
  }
  const chosen = accepts(NEGOTIATED.map(([type]) => type));
  return { ok: true, format: NEGOTIATED.find(([type]) => type === chosen)?.[1] ?? 'json' };
}

/** A stored result read back from JSONB: the worker stores the engine's ScenarioResult. */
export function asScenarioResult(stored: unknown): ScenarioResult {
  if (typeof stored !== 'object' || stored === null) return { issues: [], steps: [] };
  if (Array.isArray(stored)) return { issues: [], steps: stored as StepResult[] };
  const { issues, steps } = stored as Partial<ScenarioResult>;
  return { issues: Array.isArray(issues) ? issues : [], steps: Array.isArray(steps) ? steps : [] };
}

export interface RenderableRun {
  id: string;
  status: string;
  error: string | null;
}

/** The text or picture body of a run; a run without a result yet says where it stands. */
export function renderRun(
  run: RenderableRun,
  stored: unknown,
  format: Exclude<TraceFormat, 'json'>,
): string {
  const name = `run ${run.id}`;
  if (format === 'dot') return renderScenarioDot(asScenarioResult(stored), name);
  if (format === 'mermaid') return renderScenarioMermaid(asScenarioResult(stored));
  if (format === 'svg') return renderScenarioSvg(asScenarioResult(stored), name);
  const head = `${name}: ${run.status}${run.error ? `\nerror: ${run.error}` : ''}\n`;
  if (stored === undefined) return head;
  return `${head}\n${renderScenario(name, asScenarioResult(stored))}`;
}
