import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { policyDiff, renderPolicyDiff } from '../engine';
import { loadInput } from '../load-input';
import { parsePort, PROTOCOL_OPTION, toProtocol } from './matrix-options';

interface DiffCommandOptions {
  port: string;
  protocol: string;
  namespace?: string;
  json?: boolean;
}

/** `netplay diff BEFORE AFTER [--port 80] [--protocol tcp] [--json]`; each side a file, a directory, or files joined by commas. */
export function diffCommand(ctx: CommandContext): Command {
  return new Command('diff')
    .description('which pod-to-pod connections a policy change opens and closes on one port')
    .argument(
      '<before>',
      'manifests before the change: a file, a directory, or several files joined by commas',
    )
    .argument('<after>', 'manifests after the change, the same way')
    .option('--port <port>', 'destination pod port (after Service DNAT)', '80')
    .addOption(PROTOCOL_OPTION())
    .option('-n, --namespace <namespace>', 'only pods of this namespace')
    .option('--json', 'print the diff as JSON')
    .action((before: string, after: string, opts: DiffCommandOptions) => {
      const port = parsePort(opts.port);
      if (port === null) {
        ctx.output.err(`error: --port ${opts.port}: must be a number 1-65535`);
        return ctx.exit(EXIT_BAD_INPUT);
      }
      const a = loadInput(before.split(','), ctx.io, ctx.output);
      const b = loadInput(after.split(','), ctx.io, ctx.output);
      if (!a || !b) return ctx.exit(EXIT_BAD_INPUT);
      const diff = policyDiff(a, b, {
        port,
        protocol: toProtocol(opts.protocol),
        namespace: opts.namespace,
      });
      if (opts.json) ctx.output.out(JSON.stringify(diff, null, 2));
      else ctx.output.stdout += renderPolicyDiff(diff);
    });
}
