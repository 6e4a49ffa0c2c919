import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import {
  isPortForwardSource,
  renderProbeTrace,
  resolveSource,
  suggestFix,
  traceProbe,
  type ProbeSpec,
  type Protocol,
} from '../engine';
import { enforceExpectation, expectOption, PROBE_VERDICTS } from '../expectations';
import { loadInput } from '../load-input';
import { renderSuggestion } from '../render/suggestion-text';
import { printTrace, TRACE_OUTPUT_OPTIONS, type TracePictureFormat } from '../render/print-trace';
import { writePcap } from '../write-pcap';
import { chooseFormat, collect, parseHeader, qualifySource } from './shared-options';

interface TraceOptions {
  from: string;
  to: string;
  protocol: string;
  json?: boolean;
  format?: string;
  pcap?: string;
  host?: string;
  header?: string[];
  method?: string;
  namespace?: string;
  expect?: string;
}

/** `netplay trace FILE... --from SRC --to DST [--protocol tcp|udp|sctp] [--format …] [--expect VERDICT] [--pcap FILE]` */
export function traceCommand(ctx: CommandContext): Command {
  const command = new Command('trace')
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
    .option(
      '--expect <verdict>',
      `exit 1 unless the verdict is this: ${PROBE_VERDICTS.join('|')}, optionally :DROP_REASON`,
    )
    .option(
      '--pcap <file>',
      'also write the packets as a libpcap capture for Wireshark/tshark (docs/pcap.md)',
    )
    .option(
      '--host <host>',
      'HTTP Host header for URL probes, like curl -H "Host: …" (docs/ingress.md)',
    )
    .option(
      '-H, --header <header>',
      "HTTP request header for URL probes, 'Name: value', like curl -H (repeatable)",
      collect,
    )
    .option('-X, --method <method>', 'HTTP method for URL probes (default GET)');
  for (const option of TRACE_OUTPUT_OPTIONS()) command.addOption(option);
  return command.action((files: string[], opts: TraceOptions) => {
    const format = chooseFormat<TracePictureFormat>(opts, ctx);
    if (!format) return;
    const expectation = expectOption(opts.expect, PROBE_VERDICTS, ctx);
    if (expectation === null) return;
    const request = httpRequest(opts, ctx);
    if (!request) return ctx.exit(EXIT_BAD_INPUT);
    const loaded = loadInput(files, ctx.io, ctx.output, { namespace: opts.namespace });
    if (!loaded) return ctx.exit(EXIT_BAD_INPUT);
    const from = qualifySource(opts.from, opts.namespace);
    // `port-forward:ns/pod` must name a running pod, like the pod sources.
    const source = resolveSource(
      loaded.state,
      isPortForwardSource(from) ? from.slice('port-forward:'.length) : from,
    );
    if (!source.ok) {
      ctx.output.err(`error: --from ${opts.from}: ${source.message}`);
      return ctx.exit(EXIT_BAD_INPUT);
    }
    const probe: ProbeSpec = {
      from,
      to: opts.to,
      protocol: opts.protocol.toUpperCase() as Protocol,
      ...request,
    };
    const trace = traceProbe(loaded.state, probe);
    // The suggestion is the CLI's advice beside the engine's trace, printed as one object.
    const suggestion = suggestFix(loaded.state, probe, trace);
    if (format === 'text') ctx.output.out(renderProbeTrace(trace) + renderSuggestion(suggestion));
    else
      printTrace(
        trace,
        format,
        { issues: loaded.issues, ...(suggestion ? { suggestion } : {}) },
        ctx,
      );
    if (opts.pcap) writePcap(opts.pcap, trace, ctx);
    enforceExpectation(expectation, trace, ctx);
  });
}

/** --host, -H and -X as the probe's request fields; null (after an error on stderr) for a bad header. */
function httpRequest(
  opts: TraceOptions,
  ctx: CommandContext,
): Pick<ProbeSpec, 'host' | 'method' | 'headers'> | null {
  const headers: Record<string, string> = {};
  let host = opts.host;
  for (const text of opts.header ?? []) {
    const header = parseHeader(text);
    if (!header) {
      ctx.output.err(`error: -H ${text}: must be 'Name: value' with a token name (RFC 9110)`);
      return null;
    }
    // curl's -H 'Host: x' sets the Host header itself; the engine routes on `host`.
    if (header.name.toLowerCase() !== 'host') headers[header.name] = header.value;
    else if (host !== undefined && host !== header.value) {
      ctx.output.err(`error: -H ${text}: --host ${host} already sets the Host header`);
      return null;
    } else host = header.value;
  }
  return {
    ...(host ? { host } : {}),
    ...(opts.method ? { method: opts.method } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
  };
}
