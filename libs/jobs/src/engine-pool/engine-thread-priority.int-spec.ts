// The engine pool's threads run at the configured niceness and the caller's thread keeps its own
// (Linux: /proc/self/task/<tid>/stat, the 19th field). Elsewhere the OS may not set it per thread.
import { waitFor } from '@netplay/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import path from 'node:path';
import { EnginePool } from './engine-pool';

const THREAD_FILE = path.join(__dirname, 'engine-thread');
const onLinux = process.platform === 'linux' ? describe : describe.skip;

/** Niceness of every thread of this process, by thread id. */
function nicenessByThread(): Map<number, number> {
  const byThread = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is field 3, nice field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byThread.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byThread;
}

onLinux('engine threads at a lower scheduling priority', () => {
  let pool: EnginePool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('runs each engine thread at the configured niceness, and leaves the caller at its own', async () => {
    const callerNice = getPriority(0);
    const niceness = Math.min(19, callerNice + 7);
    pool = new EnginePool({ threadFile: THREAD_FILE, threads: 2, threadNice: niceness });
    await pool.run({ kind: 'validate', files: [] }, { tenant: 'a' });
    const lowered = await waitFor(
      'both engine threads to lower their priority',
      () => {
        const threads = [...nicenessByThread().values()].filter((nice) => nice === niceness);
        return threads.length === 2 && threads;
      },
      { timeoutMs: 30_000 },
    );
    expect(lowered).toEqual([niceness, niceness]);
    expect(nicenessByThread().get(process.pid)).toBe(callerNice);
    expect(getPriority(0)).toBe(callerNice);
  });

  it('leaves the threads at the caller’s priority with a niceness of 0', async () => {
    const callerNice = getPriority(0);
    pool = new EnginePool({ threadFile: THREAD_FILE, threads: 2, threadNice: 0 });
    await pool.run({ kind: 'validate', files: [] }, { tenant: 'a' });
    // Threads of an earlier pool may take a moment to end after it closes.
    const niceness = await waitFor(
      'every thread at the caller’s priority',
      () => {
        const values = new Set(nicenessByThread().values());
        return values.size === 1 && values;
      },
      { timeoutMs: 30_000 },
    );
    expect(niceness).toEqual(new Set([callerNice]));
    expect(pool.threads).toBe(2);
  });
});
