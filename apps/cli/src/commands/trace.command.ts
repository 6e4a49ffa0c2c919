import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { resolveSource, traceProbe, type Protocol } from '../engine';
import { loadInput } from '../load-input';
import { renderProbeTrace } from '../render/trace-text';

/** `netplay trace FILE... --from SRC --to DST [--protocol tcp|udp|sctp] [--json]` */
export function traceCommand(ctx: CommandContext): Command {
  return new Command('trace')
    .description('follow one connection hop by hop: DNS, kube-proxy, CNI routing, the reply')
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .requiredOption('--from <source>', 'ns/pod, a workload name, node/NAME, external or external:IP')
    .requiredOption('--to <destination>', 'URL (http://website.default/), host:port, IP or name')
    .addOption(new Option('--protocol <protocol>', 'transport protocol').choices(['tcp', 'udp', 'sctp', 'TCP', 'UDP', 'SCTP']).default('tcp'))
    .option('--json', 'print the trace as JSON (libs/engine/schema/trace.schema.json)')
    .action((files: string[], opts: { from: string; to: string; protocol: string; json?: boolean }) => {
      const state = loadInput(files, ctx.io, ctx.output);
      if (!state) return ctx.exit(EXIT_BAD_INPUT);
      const source = resolveSource(state, opts.from);
      if (!source.ok) {
        ctx.output.err(`error: --from ${opts.from}: ${source.message}`);
        return ctx.exit(EXIT_BAD_INPUT);
      }
      const trace = traceProbe(state, { from: opts.from, to: opts.to, protocol: opts.protocol.toUpperCase() as Protocol });
      ctx.output.out(opts.json ? JSON.stringify(trace, null, 2) : renderProbeTrace(trace));
    });
}
