import { run } from './shell';

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

/** Removes namespaces of earlier runs whose process is gone. */
export function removeLeftovers(): void {
  for (const ns of listNamespaces()) {
    const owner = parseInt(ns.slice(PREFIX.length).split('-')[0], 36);
    if (owner !== process.pid && !alive(owner)) deleteNamespace(ns);
  }
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
