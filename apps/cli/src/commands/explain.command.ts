import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { explainPolicies, formatExplanation, lintPolicies } from '../engine';
import { loadInput } from '../load-input';
import { namespaceOption } from './shared-options';

/** `netplay explain FILE... [-n NS] [--json]`: per pod, the policies that select it and their rules in words, then lint warnings. */
export function explainCommand(ctx: CommandContext): Command {
  return new Command('explain')
    .description(
      'explain which network policies select each pod, what their rules allow, and what looks wrong',
    )
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .addOption(
      namespaceOption(
        'only pods (and policies) of this namespace; also the namespace of objects that name none',
      ),
    )
    .option('--json', 'print {pods, warnings, issues} as JSON')
    .action((files: string[], opts: { namespace?: string; json?: boolean }) => {
      const loaded = loadInput(files, ctx.io, ctx.output, {
        namespace: opts.namespace,
        enforceNamespace: false,
      });
      if (!loaded) return ctx.exit(EXIT_BAD_INPUT);
      const { state } = loaded;
      if (opts.namespace !== undefined && !state.namespaces.has(opts.namespace)) {
        ctx.output.err(`error: -n ${opts.namespace}: namespace not found`);
        return ctx.exit(EXIT_BAD_INPUT);
      }
      const pods = explainPolicies(
        state,
        opts.namespace !== undefined ? { namespace: opts.namespace } : {},
      );
      const prefix = opts.namespace !== undefined ? `NetworkPolicy/${opts.namespace}/` : '';
      const warnings = lintPolicies(state).filter((w) => (w.object ?? '').startsWith(prefix));
      ctx.output.out(
        opts.json
          ? JSON.stringify({ pods, warnings, issues: loaded.issues }, null, 2)
          : formatExplanation(pods, warnings),
      );
    });
}
