import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED } from './cli-io';
import type { CommandContext } from './command-context';
import { DROP_REASONS, type DnsTrace, type DropReason, type ProbeTrace } from './engine';

export const PROBE_VERDICTS = ['delivered', 'refused', 'dropped', 'unresolved', 'timeout'];
export const DNS_VERDICTS = ['resolved', 'unresolved'];

/** `--expect VERDICT[:DROP_REASON]`, e.g. `delivered`, `dropped`, `dropped:POLICY_DENIED`. */
export interface VerdictExpectation {
  verdict: string;
  dropReason?: DropReason;
}

export function parseExpectation(
  text: string,
  verdicts: string[],
): { ok: true; expectation: VerdictExpectation } | { ok: false; message: string } {
  const [verdict, reason, ...rest] = text.split(':');
  if (!verdicts.includes(verdict) || rest.length)
    return {
      ok: false,
      message: `must be one of ${verdicts.join(', ')} (optionally :DROP_REASON)`,
    };
  if (reason === undefined) return { ok: true, expectation: { verdict } };
  if (!Object.prototype.hasOwnProperty.call(DROP_REASONS, reason))
    return {
      ok: false,
      message: `"${reason}" is not a drop reason (${Object.keys(DROP_REASONS).join(', ')})`,
    };
  return { ok: true, expectation: { verdict, dropReason: reason as DropReason } };
}

/** Null when the trace answers as expected; otherwise the one line a CI log shows. */
export function unmetExpectation(
  expectation: VerdictExpectation,
  trace: ProbeTrace | DnsTrace,
): string | null {
  const dropReason = trace.kind === 'probe' ? trace.dropReason : null;
  const verdictMatches = trace.verdict === expectation.verdict;
  if (verdictMatches && (!expectation.dropReason || expectation.dropReason === dropReason))
    return null;
  const expected = expectation.dropReason
    ? `${expectation.verdict} (${expectation.dropReason})`
    : expectation.verdict;
  const got = dropReason ? `${trace.verdict} (${dropReason})` : trace.verdict;
  return `expected ${expected}, got ${got}: ${trace.reason}`;
}

/** `--expect` as given: undefined without it, null (after an error on stderr) when malformed. */
export function expectOption(
  text: string | undefined,
  verdicts: string[],
  ctx: CommandContext,
): VerdictExpectation | undefined | null {
  if (text === undefined) return undefined;
  const parsed = parseExpectation(text, verdicts);
  if (parsed.ok) return parsed.expectation;
  ctx.output.err(`error: --expect ${text}: ${parsed.message}`);
  ctx.exit(EXIT_BAD_INPUT);
  return null;
}

/** After the output: the one-line reason on stderr and exit 1 when the answer is not the expected one. */
export function enforceExpectation(
  expectation: VerdictExpectation | undefined,
  trace: ProbeTrace | DnsTrace,
  ctx: CommandContext,
): void {
  const unmet = expectation ? unmetExpectation(expectation, trace) : null;
  if (!unmet) return;
  ctx.output.err(unmet);
  ctx.exit(EXIT_EXPECTATION_FAILED);
}
