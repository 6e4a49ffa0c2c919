import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_WRITE_FAILED } from './cli-io';
import type { CommandContext } from './command-context';
import { pcapFrameCount, traceToPcap, type DnsTrace, type ProbeTrace } from './engine';

/**
 * `--pcap FILE`: writes the trace as a libpcap capture (relative paths against the working
 * directory) and reports on stderr, so stdout stays the trace.
 */
export function writePcap(path: string, trace: ProbeTrace | DnsTrace, ctx: CommandContext): void {
  const bytes = traceToPcap(trace);
  try {
    writeFileSync(resolve(ctx.io.cwd, path), bytes);
  } catch (error) {
    ctx.output.err(`error: --pcap ${path}: ${errorMessage(error)}`);
    ctx.exit(EXIT_WRITE_FAILED);
    return;
  }
  const count = pcapFrameCount(bytes);
  ctx.output.err(`wrote ${count} packet${count === 1 ? '' : 's'} to ${path}`);
}

/** fs errors may come from another realm (test runners), so read `message` rather than test instanceof. */
function errorMessage(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error);
}
