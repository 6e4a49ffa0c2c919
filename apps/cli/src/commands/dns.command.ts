import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { dnsProbe, renderDnsTrace, resolveSource, type DnsRecordType } from '../engine';
import { DNS_VERDICTS, enforceExpectation, expectOption } from '../expectations';
import { loadInput } from '../load-input';
import { printTrace, TRACE_OUTPUT_OPTIONS, type TracePictureFormat } from '../render/print-trace';
import { writePcap } from '../write-pcap';
import { chooseFormat, qualifySource } from './shared-options';

const RECORD_TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'];

interface DnsOptions {
  from: string;
  type: string;
  json?: boolean;
  format?: string;
  pcap?: string;
  namespace?: string;
  expect?: string;
}

/** `netplay dns FILE... --from SRC NAME [--type A|AAAA|SRV|PTR|CNAME] [--format …] [--expect resolved|unresolved]`: the last argument is the name. */
export function dnsCommand(ctx: CommandContext): Command {
  const command = new Command('dns')
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
    .option('--expect <verdict>', `exit 1 unless the lookup is ${DNS_VERDICTS.join(' or ')}`)
    .option(
      '--pcap <file>',
      'also write the packets as a libpcap capture for Wireshark/tshark (docs/pcap.md)',
    );
  for (const option of TRACE_OUTPUT_OPTIONS()) command.addOption(option);
  return command.action((args: string[], opts: DnsOptions) => {
    const format = chooseFormat<TracePictureFormat>(opts, ctx);
    if (!format) return;
    if (args.length < 2) {
      ctx.output.err('error: dns needs at least one FILE and then the NAME to look up');
      return ctx.exit(EXIT_BAD_INPUT);
    }
    const expectation = expectOption(opts.expect, DNS_VERDICTS, ctx);
    if (expectation === null) return;
    const name = args[args.length - 1];
    const loaded = loadInput(args.slice(0, -1), ctx.io, ctx.output, {
      namespace: opts.namespace,
    });
    if (!loaded) return ctx.exit(EXIT_BAD_INPUT);
    const from = qualifySource(opts.from, opts.namespace);
    const source = resolveSource(loaded.state, from);
    if (!source.ok) {
      ctx.output.err(`error: --from ${opts.from}: ${source.message}`);
      return ctx.exit(EXIT_BAD_INPUT);
    }
    const trace = dnsProbe(loaded.state, {
      from,
      name,
      type: opts.type.toUpperCase() as DnsRecordType,
    });
    if (format === 'text') ctx.output.out(renderDnsTrace(trace));
    else printTrace(trace, format, { issues: loaded.issues }, ctx);
    if (opts.pcap) writePcap(opts.pcap, trace, ctx);
    enforceExpectation(expectation, trace, ctx);
  });
}
