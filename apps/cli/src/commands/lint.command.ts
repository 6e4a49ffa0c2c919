import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { formatIssue, lintNorthSouth, lintPolicies, type EngineIssue } from '../engine';
import { loadInput } from '../load-input';

/**
 * `netplay lint FILE... [--json]`: the classic traps in one list — policy selectors matching
 * nothing, egress default-deny without DNS, and "IP assigned but not reachable" for load balancers.
 * Exit status 0 whatever it finds (warnings are findings, not bad input), 2 on bad input.
 */
export function lintCommand(ctx: CommandContext): Command {
  return new Command('lint')
    .description(
      'warn about network-policy and load-balancer traps (selectors matching nothing, missing advertisements, …)',
    )
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .option('--json', 'print the warnings as JSON')
    .action((files: string[], opts: { json?: boolean }) => {
      const state = loadInput(files, ctx.io, ctx.output);
      if (!state) return ctx.exit(EXIT_BAD_INPUT);
      const warnings: EngineIssue[] = [...lintPolicies(state), ...lintNorthSouth(state)];
      if (opts.json) ctx.output.out(JSON.stringify({ warnings }, null, 2));
      else
        ctx.output.out(
          warnings.length
            ? warnings.map((w) => `warning: ${formatIssue(w)}`).join('\n')
            : 'no warnings',
        );
    });
}
