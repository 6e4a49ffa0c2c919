import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './shell';

const SOURCES = join(__dirname, '..', 'agents');

/**
 * The lane's small C programs, compiled once per run with the machine's C compiler: the pod
 * server and the client start in a millisecond where a Node.js process takes a second on a loaded
 * machine, and the IPVS responder is a library ipvsadm preloads.
 */
export interface Agents {
  dir: string;
  podServer: string;
  client: string;
  ipvsResponder: string;
}

export function buildAgents(): Agents {
  const dir = mkdtempSync(join(tmpdir(), 'netplay-kernel-agents-'));
  const build = (source: string, out: string, extra: string[] = []) => {
    run('cc', ['-O2', ...extra, '-o', join(dir, out), join(SOURCES, source)]);
    return join(dir, out);
  };
  return {
    dir,
    podServer: build('pod-server.c', 'pod-server'),
    client: build('client.c', 'client'),
    ipvsResponder: build('ipvs-genl.c', 'ipvs-genl.so', ['-shared', '-fPIC']),
  };
}

export function releaseAgents(agents: Agents): void {
  rmSync(agents.dir, { recursive: true, force: true });
}
