import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import {
  formatIssue,
  lintNorthSouth,
  lintPolicies,
  lintUnsimulated,
  type EngineIssue,
} from '../engine';
import { loadInput } from '../load-input';
import { namespaceOption } from './shared-options';

/**
 * `netplay lint FILE... [-n NS] [--json]`: the load's warnings (what the input says that is not
 * simulated or was adjusted) and the classic traps — policy selectors matching nothing, egress
 * default-deny without DNS, "IP assigned but not reachable" for load balancers, LoadBalancers left
 * `<pending>` — and what other implementations' objects (Cilium, Calico, Istio …) apply to, in one list.
 * Exit status 0 whatever it finds (warnings are findings, not bad input), 2 on bad input.
 */
export function lintCommand(ctx: CommandContext): Command {
  return new Command('lint')
    .description(
      'warn about what the input loses and about network-policy and load-balancer traps (selectors matching nothing, missing advertisements, …)',
    )
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .addOption(namespaceOption('namespace of objects that name none (kubectl apply -n)'))
    .option('--json', 'print {issues, warnings} as JSON: the load issues, then the findings')
    .action((files: string[], opts: { namespace?: string; json?: boolean }) => {
      const loaded = loadInput(files, ctx.io, ctx.output, {
        namespace: opts.namespace,
        warningsOnStderr: false,
      });
      if (!loaded) return ctx.exit(EXIT_BAD_INPUT);
      const warnings: EngineIssue[] = [
        ...lintPolicies(loaded.state),
        ...lintNorthSouth(loaded.state),
        ...lintUnsimulated(loaded.state),
      ];
      if (opts.json)
        return ctx.output.out(JSON.stringify({ issues: loaded.issues, warnings }, null, 2));
      const all = [...loaded.issues, ...warnings];
      ctx.output.out(
        all.length ? all.map((w) => `${w.severity}: ${formatIssue(w)}`).join('\n') : 'no warnings',
      );
    });
}
