import type { CommandContext } from '../command-context';
import {
  renderTraceDot,
  renderTraceMermaid,
  renderTraceSvg,
  type DnsTrace,
  type EngineIssue,
  type ProbeTrace,
} from '../engine';

/** The picture formats of `trace` and `dns`, rendered by the engine as the API renders a run. */
export const TRACE_PICTURE_FORMATS = ['dot', 'mermaid', 'svg'] as const;

export type TracePictureFormat = (typeof TRACE_PICTURE_FORMATS)[number];

const PICTURES = { dot: renderTraceDot, mermaid: renderTraceMermaid, svg: renderTraceSvg };

/**
 * `--format json`: the trace (trace.schema.json) with the load's `issues`, as a run result of the
 * API carries them; the picture formats: the trace drawn.
 */
export function printTrace(
  trace: ProbeTrace | DnsTrace,
  format: 'json' | TracePictureFormat,
  issues: EngineIssue[],
  ctx: CommandContext,
): void {
  if (format === 'json') ctx.output.out(JSON.stringify({ ...trace, issues }, null, 2));
  else ctx.output.out(PICTURES[format](trace));
}
