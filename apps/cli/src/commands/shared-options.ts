import { Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';

/** `-n NS`: kubectl's namespace flag; what it does beyond placing objects is said per command. */
export const namespaceOption = (description: string) =>
  new Option('-n, --namespace <namespace>', description);

/** Repeatable flags (`-H a -H b`) collect their values in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--format F` with `--json` kept as its shorthand; null (after an error on stderr) when both disagree. */
export function chooseFormat<F extends string>(
  opts: { format?: string; json?: boolean },
  ctx: CommandContext,
): F | 'text' | 'json' | null {
  if (opts.json && opts.format !== undefined && opts.format !== 'json') {
    ctx.output.err(`error: --json and --format ${opts.format} cannot be used together`);
    ctx.exit(EXIT_BAD_INPUT);
    return null;
  }
  return (opts.json ? 'json' : (opts.format ?? 'text')) as F | 'text' | 'json';
}

/** A source's bare pod or workload name is in `-n`'s namespace, as `kubectl exec -n NS NAME` reads it. */
export function qualifySource(from: string, namespace: string | undefined): string {
  if (namespace === undefined || from.includes('/') || from === 'external') return from;
  if (from.startsWith('external:')) return from;
  if (from.startsWith('port-forward:')) return `port-forward:${namespace}/${from.slice(13)}`;
  return `${namespace}/${from}`;
}

/** An HTTP header field as curl's `-H 'Name: value'` takes it (RFC 9110 field-name token). */
export function parseHeader(text: string): { name: string; value: string } | null {
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  const name = text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return null;
  return { name, value: text.slice(colon + 1).trim() };
}
