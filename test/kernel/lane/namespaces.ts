import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exec, run } from './shell';

/**
 * Every namespace the lane creates is named `npk<pid in base 36>-<name>`, so a run can remove what
 * an earlier, crashed run left behind (its pid is gone) without touching a run still in progress.
 */
const PREFIX = 'npk';

export function runPrefix(): string {
  return `${PREFIX}${process.pid.toString(36)}-`;
}

export function listNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(PREFIX));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Deletes a namespace after killing the processes left in it (the lane's own servers). */
export function deleteNamespace(ns: string): void {
  const pids = run('ip', ['netns', 'pids', ns]).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  run('ip', ['netns', 'delete', ns]);
}

/**
 * Deletes a scenario's namespaces with one `ip -batch` (`-force` goes on past one already gone).
 * The scenario has killed its own processes; anything else still inside is killed first.
 */
export async function deleteNamespaces(namespaces: string[]): Promise<void> {
  if (!namespaces.length) return;
  const pids = await exec(
    'ip',
    ['-force', '-batch', '-'],
    namespaces.map((ns) => `netns pids ${ns}\n`).join(''),
  ).catch(() => '');
  for (const pid of pids.split('\n').filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exec(
    'ip',
    ['-force', '-batch', '-'],
    namespaces.map((ns) => `netns delete ${ns}\n`).join(''),
  ).catch(() => '');
}

/** Removes namespaces of earlier runs whose process is gone, and their /etc/netns/<ns> files. */
export function removeLeftovers(): void {
  const stale = (name: string) => {
    const owner = parseInt(name.slice(PREFIX.length).split('-')[0], 36);
    return owner !== process.pid && !alive(owner);
  };
  for (const ns of listNamespaces()) if (stale(ns)) deleteNamespace(ns);
  const etc = '/etc/netns';
  if (existsSync(etc))
    for (const name of readdirSync(etc))
      if (name.startsWith(PREFIX) && stale(name))
        rmSync(join(etc, name), { recursive: true, force: true });
}

/** Whether this machine lets us create network namespaces (root, iproute2 with netns). */
export function canCreateNamespaces(): boolean {
  const probe = `${runPrefix()}probe`;
  try {
    run('ip', ['netns', 'add', probe]);
    run('ip', ['netns', 'delete', probe]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether this kernel creates links of a type (`dummy`, `ipip` …), tried in a throwaway
 * namespace: a kernel built without the driver answers "Unknown device type".
 */
export function canCreateLink(type: string, options: string[] = []): boolean {
  const probe = `${runPrefix()}link`;
  try {
    run('ip', ['netns', 'add', probe]);
  } catch {
    return false;
  }
  try {
    run('ip', ['-n', probe, 'link', 'add', 'probe0', 'type', type, ...options]);
    return true;
  } catch {
    return false;
  } finally {
    run('ip', ['netns', 'delete', probe]);
  }
}
