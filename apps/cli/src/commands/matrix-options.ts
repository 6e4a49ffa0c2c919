import { Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED } from '../cli-io';
import {
  checkConnectionAssertions,
  parseConnectionAssertion,
  type ConnectionAssertion,
} from '../connection-assertions';
import type { ClusterState, Protocol } from '../engine';
import { collect } from './shared-options';

export const PROTOCOL_OPTION = () =>
  new Option('--protocol <protocol>', 'transport protocol')
    .choices(['tcp', 'udp', 'sctp', 'TCP', 'UDP', 'SCTP'])
    .default('tcp');

/** `--port` as given on the command line: a destination pod port 1-65535, or null. */
export function parsePort(text: string): number | null {
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 1 && port <= 65535 ? port : null;
}

export function toProtocol(text: string): Protocol {
  return text.toUpperCase() as Protocol;
}

export interface AssertionFlags {
  assertOpen?: string[];
  assertClosed?: string[];
}

/** `--assert-open` and `--assert-closed`, repeatable (docs/cli.md "Exit status"). */
export const ASSERTION_OPTIONS = () => [
  new Option(
    '--assert-open <connection>',
    'exit 1 unless FROM->TO[:PORT] is allowed (pods or workloads, ns/name; repeatable)',
  ).argParser(collect),
  new Option(
    '--assert-closed <connection>',
    'exit 1 unless FROM->TO[:PORT] is denied (pods or workloads, ns/name; repeatable)',
  ).argParser(collect),
];

/** The flags parsed; null (after errors on stderr) when one is malformed. */
export function readAssertions(
  flags: AssertionFlags,
  namespace: string | undefined,
  ctx: CommandContext,
): ConnectionAssertion[] | null {
  const given = [
    ...(flags.assertOpen ?? []).map((text) => ({ text, open: true })),
    ...(flags.assertClosed ?? []).map((text) => ({ text, open: false })),
  ];
  const assertions: ConnectionAssertion[] = [];
  for (const { text, open } of given) {
    const parsed = parseConnectionAssertion(text, open, namespace ?? 'default');
    if (parsed.ok) assertions.push(parsed.assertion);
    else ctx.output.err(`error: --assert-${open ? 'open' : 'closed'} ${text}: ${parsed.message}`);
  }
  if (assertions.length === given.length) return assertions;
  ctx.exit(EXIT_BAD_INPUT);
  return null;
}

/** After the output: each failed assertion on its own stderr line, then exit 1 (or 2 for a side naming nothing). */
export function enforceAssertions(
  state: ClusterState,
  assertions: ConnectionAssertion[],
  defaults: { port: number; protocol: Protocol },
  ctx: CommandContext,
): void {
  if (!assertions.length) return;
  const outcome = checkConnectionAssertions(state, assertions, defaults);
  for (const line of outcome.badInput) ctx.output.err(`error: ${line}`);
  for (const line of outcome.failed) ctx.output.err(line);
  if (outcome.badInput.length) ctx.exit(EXIT_BAD_INPUT);
  else if (outcome.failed.length) ctx.exit(EXIT_EXPECTATION_FAILED);
}
