import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { run } from './shell';

/** Whether a command is on the PATH. */
export function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const SOURCES = join(__dirname, '..', 'agents');

/**
 * The lane's small C programs, compiled once per run with the machine's C compiler: the pod
 * server and the client start in a millisecond where a Node.js process takes a second on a loaded
 * machine, the IPVS responder is a library ipvsadm preloads, and the musl resolver is
 * getaddrinfo linked with musl.
 */
export interface Agents {
  dir: string;
  podServer: string;
  client: string;
  ipvsResponder: string;
  /** getaddrinfo linked with musl (when musl-gcc is installed). */
  muslResolve?: string;
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
    muslResolve: commandExists('musl-gcc') ? buildMusl(dir) : undefined,
  };
}

function buildMusl(dir: string): string {
  const out = join(dir, 'resolve-musl');
  run('musl-gcc', ['-static', '-O2', '-o', out, join(SOURCES, 'resolve.c')]);
  return out;
}

export function releaseAgents(agents: Agents): void {
  rmSync(agents.dir, { recursive: true, force: true });
}
