import { Option } from 'commander';
import type { CommandContext } from '../command-context';
import { namespaceOption } from '../commands/shared-options';
import {
  renderTraceDot,
  renderTraceMermaid,
  renderTraceSvg,
  type DnsTrace,
  type EngineIssue,
  type PolicySuggestion,
  type ProbeTrace,
} from '../engine';

/** The picture formats of `trace` and `dns`, rendered by the engine as the API renders a run. */
export const TRACE_PICTURE_FORMATS = ['dot', 'mermaid', 'svg'] as const;

export type TracePictureFormat = (typeof TRACE_PICTURE_FORMATS)[number];

const PICTURES = { dot: renderTraceDot, mermaid: renderTraceMermaid, svg: renderTraceSvg };

/**
 * `--format json`: the trace (trace.schema.json) with what the CLI adds beside it, printed as one
 * object: the load's `issues` (as a run result of the API carries them) and, for a denied probe,
 * the `suggestion`; the picture formats: the trace drawn.
 */
export function printTrace(
  trace: ProbeTrace | DnsTrace,
  format: 'json' | TracePictureFormat,
  beside: { issues: EngineIssue[]; suggestion?: PolicySuggestion },
  ctx: CommandContext,
): void {
  if (format === 'json') ctx.output.out(JSON.stringify({ ...trace, ...beside }, null, 2));
  else ctx.output.out(PICTURES[format](trace));
}

/** The options `trace` and `dns` share: -n, --format and its --json shorthand. */
export const TRACE_OUTPUT_OPTIONS = () => [
  namespaceOption(
    'namespace of objects that name none (kubectl apply -n) and of a bare --from name',
  ),
  new Option('--format <format>', 'output: text, json, or a picture of the hops').choices([
    'text',
    'json',
    ...TRACE_PICTURE_FORMATS,
  ]),
  new Option('--json', 'print the trace as JSON, same as --format json (trace.schema.json)'),
];
