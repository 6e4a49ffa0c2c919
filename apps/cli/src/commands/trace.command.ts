import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import {
  isPortForwardSource,
  resolveSource,
  suggestFix,
  traceProbe,
  type Protocol,
} from '../engine';
import { loadInput } from '../load-input';
import { writePcap } from '../write-pcap';
import { renderProbeTrace } from '../engine';
import { renderSuggestion } from '../render/suggestion-text';

/** `netplay trace FILE... --from SRC --to DST [--protocol tcp|udp|sctp] [--json] [--pcap FILE]` */
export function traceCommand(ctx: CommandContext): Command {
  return new Command('trace')
    .description('follow one connection hop by hop: DNS, kube-proxy, CNI routing, the reply')
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .requiredOption(
      '--from <source>',
      'ns/pod, a workload name, node/NAME, external, external:IP or port-forward:ns/pod',
    )
    .requiredOption('--to <destination>', 'URL (http://website.default/), host:port, IP or name')
    .addOption(
      new Option('--protocol <protocol>', 'transport protocol')
        .choices(['tcp', 'udp', 'sctp', 'TCP', 'UDP', 'SCTP'])
        .default('tcp'),
    )
    .option('--json', 'print the trace as JSON (libs/engine/schema/trace.schema.json)')
    .option(
      '--pcap <file>',
      'also write the packets as a libpcap capture for Wireshark/tshark (docs/pcap.md)',
    )
    .option(
      '--host <host>',
      'HTTP Host header for URL probes, like curl -H "Host: …" (docs/ingress.md)',
    )
    .option('-X, --method <method>', 'HTTP method for URL probes (default GET)')
    .action(
      (
        files: string[],
        opts: {
          from: string;
          to: string;
          protocol: string;
          json?: boolean;
          pcap?: string;
          host?: string;
          method?: string;
        },
      ) => {
        const state = loadInput(files, ctx.io, ctx.output);
        if (!state) return ctx.exit(EXIT_BAD_INPUT);
        // `port-forward:ns/pod` must name a running pod, like the pod sources.
        const source = resolveSource(
          state,
          isPortForwardSource(opts.from) ? opts.from.slice('port-forward:'.length) : opts.from,
        );
        if (!source.ok) {
          ctx.output.err(`error: --from ${opts.from}: ${source.message}`);
          return ctx.exit(EXIT_BAD_INPUT);
        }
        const probe = {
          from: opts.from,
          to: opts.to,
          protocol: opts.protocol.toUpperCase() as Protocol,
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.method ? { method: opts.method } : {}),
        };
        const trace = traceProbe(state, probe);
        const suggestion = suggestFix(state, probe, trace);
        // The suggestion is the CLI's advice beside the engine's trace, printed as one object.
        ctx.output.out(
          opts.json
            ? JSON.stringify(suggestion ? { ...trace, suggestion } : trace, null, 2)
            : renderProbeTrace(trace) + renderSuggestion(suggestion),
        );
        if (opts.pcap) writePcap(opts.pcap, trace, ctx);
      },
    );
}
