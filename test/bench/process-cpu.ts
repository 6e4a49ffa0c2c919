// CPU time (user + system) used by processes, from Linux's /proc: how the machine's cores were
// spent per run, by process group. Elsewhere (no /proc) every reading is undefined.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux reports times in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Ids of the running processes whose command name is `name` (e.g. every PostgreSQL backend). */
export function pidsNamed(name: string): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return pids;
}

/** CPU used by a group of processes from this call until the returned function's call. */
export function cpuMeter(pidsOf: () => number[]): () => number | undefined {
  const before = new Map(pidsOf().map((pid) => [pid, processCpuMs(pid)]));
  return () => {
    let total = 0;
    let measured = false;
    for (const pid of pidsOf()) {
      const now = processCpuMs(pid);
      if (now === undefined) continue;
      measured = true;
      // A process started during the interval (a new PostgreSQL backend) counts from zero.
      total += now - (before.get(pid) ?? 0);
    }
    return measured ? total : undefined;
  };
}
