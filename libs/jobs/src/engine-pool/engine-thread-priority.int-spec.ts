// The engine pool's threads run at the configured niceness and every other thread keeps the
// caller's (Linux: /proc/self/task/<tid>/stat, the 19th field). Only threads started since the pool
// was created are looked at: earlier suites in the same Jest process leave threads of their own.
// Elsewhere the OS may not set niceness per thread.
import { waitFor } from '@netplay/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
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

/** The niceness of each thread started since `before` was read. */
function newThreadNiceness(before: Map<number, number>): number[] {
  return [...nicenessByThread()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
}

onLinux('engine threads at a lower scheduling priority', () => {
  let pool: EnginePool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('runs each engine thread at the configured niceness, and every other thread at the caller’s', async () => {
    const callerNice = getPriority(0);
    const niceness = Math.min(19, callerNice + 7);
    const before = nicenessByThread();
    pool = new EnginePool({ threadFile: THREAD_FILE, threads: 2, threadNice: niceness });
    await pool.run({ kind: 'validate', files: [] }, { tenant: 'a' });
    // Work for libuv's thread pool once the engine threads are lowered: its threads, started by
    // whichever thread first queues work, must not inherit an engine thread's niceness.
    await stat(__filename);
    const lowered = await waitFor(
      'both engine threads to lower their priority',
      () => {
        const threads = newThreadNiceness(before).filter((nice) => nice === niceness);
        return threads.length === 2 && threads;
      },
      { timeoutMs: 30_000 },
    );
    expect(lowered).toEqual([niceness, niceness]);
    const others = newThreadNiceness(before).filter((nice) => nice !== niceness);
    expect(new Set(others)).toEqual(others.length ? new Set([callerNice]) : new Set());
    expect(nicenessByThread().get(process.pid)).toBe(callerNice);
    expect(getPriority(0)).toBe(callerNice);
  });

  it('leaves the threads at the caller’s priority with a niceness of 0', async () => {
    const callerNice = getPriority(0);
    const before = nicenessByThread();
    pool = new EnginePool({ threadFile: THREAD_FILE, threads: 2, threadNice: 0 });
    await pool.run({ kind: 'validate', files: [] }, { tenant: 'a' });
    await stat(__filename);
    expect(new Set(newThreadNiceness(before))).toEqual(new Set([callerNice]));
    expect(pool.threads).toBe(2);
  });
});
