import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { dnsProbe, resolveSource, type DnsRecordType } from '../engine';
import { loadInput } from '../load-input';
import { writePcap } from '../write-pcap';
import { renderDnsTrace } from '../engine';

const RECORD_TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'];

/** `netplay dns FILE... --from SRC NAME [--type A|AAAA|SRV|PTR|CNAME] [--json]`: the last argument is the name. */
export function dnsCommand(ctx: CommandContext): Command {
  return new Command('dns')
    .description("resolve a name as the source pod's resolver would, query by query")
    .argument(
      '<files-then-name...>',
      'manifest files or directories (- for stdin), then the NAME to look up',
    )
    .requiredOption('--from <source>', 'ns/pod or a workload name')
    .addOption(
      new Option('--type <type>', 'record type')
        .choices(RECORD_TYPES.flatMap((t) => [t, t.toLowerCase()]))
        .default('A'),
    )
    .option('--json', 'print the trace as JSON')
    .option(
      '--pcap <file>',
      'also write the packets as a libpcap capture for Wireshark/tshark (docs/pcap.md)',
    )
    .action(
      (args: string[], opts: { from: string; type: string; json?: boolean; pcap?: string }) => {
        if (args.length < 2) {
          ctx.output.err('error: dns needs at least one FILE and then the NAME to look up');
          return ctx.exit(EXIT_BAD_INPUT);
        }
        const name = args[args.length - 1];
        const state = loadInput(args.slice(0, -1), ctx.io, ctx.output);
        if (!state) return ctx.exit(EXIT_BAD_INPUT);
        const source = resolveSource(state, opts.from);
        if (!source.ok) {
          ctx.output.err(`error: --from ${opts.from}: ${source.message}`);
          return ctx.exit(EXIT_BAD_INPUT);
        }
        const trace = dnsProbe(state, {
          from: opts.from,
          name,
          type: opts.type.toUpperCase() as DnsRecordType,
        });
        ctx.output.out(opts.json ? JSON.stringify(trace, null, 2) : renderDnsTrace(trace));
        if (opts.pcap) writePcap(opts.pcap, trace, ctx);
      },
    );
}
