import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED } from '../cli-io';
import { policyDiff, renderPolicyDiff } from '../engine';
import { loadInput } from '../load-input';
import {
  ASSERTION_OPTIONS,
  enforceAssertions,
  parsePort,
  PROTOCOL_OPTION,
  readAssertions,
  toProtocol,
  type AssertionFlags,
} from './matrix-options';
import { namespaceOption } from './shared-options';

interface DiffCommandOptions extends AssertionFlags {
  port: string;
  protocol: string;
  namespace?: string;
  json?: boolean;
  exitCode?: boolean;
}

/** `netplay diff BEFORE AFTER [--port 80] [--protocol tcp] [--json] [--exit-code] [--assert-open C] [--assert-closed C]`; each side a file, a directory, or files joined by commas. */
export function diffCommand(ctx: CommandContext): Command {
  const command = new Command('diff')
    .description('which pod-to-pod connections a policy change opens and closes on one port')
    .argument(
      '<before>',
      'manifests before the change: a file, a directory, or several files joined by commas',
    )
    .argument('<after>', 'manifests after the change, the same way')
    .option('--port <port>', 'destination pod port (after Service DNAT)', '80')
    .addOption(PROTOCOL_OPTION())
    .addOption(
      namespaceOption('only pods of this namespace; also the namespace of objects that name none'),
    )
    .option('--json', 'print the diff as JSON')
    .option('--exit-code', 'exit 1 when the change opens or closes any connection, like git diff');
  for (const option of ASSERTION_OPTIONS()) command.addOption(option);
  return command.action((before: string, after: string, opts: DiffCommandOptions) => {
    const port = parsePort(opts.port);
    if (port === null) {
      ctx.output.err(`error: --port ${opts.port}: must be a number 1-65535`);
      return ctx.exit(EXIT_BAD_INPUT);
    }
    const assertions = readAssertions(opts, opts.namespace, ctx);
    if (!assertions) return;
    const settings = { namespace: opts.namespace, enforceNamespace: false };
    const a = loadInput(before.split(','), ctx.io, ctx.output, settings);
    const b = loadInput(after.split(','), ctx.io, ctx.output, settings);
    if (!a || !b) return ctx.exit(EXIT_BAD_INPUT);
    const protocol = toProtocol(opts.protocol);
    const diff = policyDiff(a.state, b.state, { port, protocol, namespace: opts.namespace });
    if (opts.json)
      ctx.output.out(
        JSON.stringify({ ...diff, issues: { before: a.issues, after: b.issues } }, null, 2),
      );
    else ctx.output.stdout += renderPolicyDiff(diff);
    // The assertions are about the cluster after the change.
    enforceAssertions(b.state, assertions, { port, protocol }, ctx);
    if (opts.exitCode && (diff.opened.length || diff.closed.length)) {
      ctx.output.err(
        `the change opens ${diff.opened.length} and closes ${diff.closed.length} connection(s) on ${protocol}/${port}`,
      );
      ctx.exit(EXIT_EXPECTATION_FAILED);
    }
  });
}
