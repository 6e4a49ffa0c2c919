// Engine work off the caller's event loop: a pool of worker threads (Piscina) with a wall-clock
// budget per task and V8 heap limits per thread. A task over its budget is aborted — Piscina
// terminates its thread and starts another — and answered with EngineBudgetExceededError; a thread
// that runs out of heap dies alone, its task answered the same way. The process stays up.
// Tasks reach the threads through TenantAdmission (one tenant never holds every thread), and the
// threads run at a lower scheduling priority than the process's event loop (engine-thread.ts).
import { SETTINGS } from '@netplay/config';
import { access, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { AnswerOf, EngineTask } from './engine-tasks';
import type { ThreadMessage, ThreadSettings } from './engine-thread';
import { TenantAdmission } from './tenant-admission';

export interface EnginePoolOptions {
  /** The thread entry without its extension: `.js` when compiled, else `.ts` run through tsx. */
  threadFile: string;
  /** Threads at most (NETPLAY_ENGINE_POOL_THREADS). */
  threads?: number;
  /** Wall-clock budget of one task (NETPLAY_ENGINE_TASK_BUDGET_MS). */
  budgetMs?: number;
  /** Old-generation heap of one thread (NETPLAY_ENGINE_THREAD_MAX_HEAP_MB). */
  maxHeapMb?: number;
  /** Scheduling niceness of each thread (NETPLAY_ENGINE_THREAD_NICE; 0 keeps the process's). */
  threadNice?: number;
  /** Threads one tenant's tasks may hold at once: by default all but one (at least one). */
  maxThreadsPerTenant?: number;
}

export interface EngineRunOptions {
  /** Whose task this is: tenants take free threads in turn (TenantAdmission). */
  tenant?: string;
  /** Wall-clock budget of this task, instead of the pool's. */
  budgetMs?: number;
  /**
   * Told, once the task has ended (answered, failed or stopped), how long a thread worked on it:
   * wall-clock milliseconds from when a thread started it, waiting excluded.
   */
  onEngineTime?: (ms: number) => void;
}

/** The line of tasks that name no tenant (tools, tests). */
const NO_TENANT = '';

export const DEFAULT_ENGINE_BUDGET_MS = SETTINGS.engineTaskBudgetMs.schema.def.defaultValue;
export const DEFAULT_ENGINE_THREAD_HEAP_MB = SETTINGS.engineThreadMaxHeapMb.schema.def.defaultValue;
export const DEFAULT_ENGINE_THREAD_NICE = SETTINGS.engineThreadNice.schema.def.defaultValue;

/**
 * libuv starts its thread pool (fs, dns.lookup, crypto, zlib work) when the first piece of work is
 * queued, from whichever thread queues it, and new threads inherit that thread's niceness: queued
 * first by a lowered engine thread, every later lookup and file read of the process would run
 * lowered too. A piece of work queued from here, before the engine threads start, starts the pool
 * at the caller's priority (a no-op once it runs).
 */
function startLibuvThreadsHere(): void {
  access(__filename, () => undefined);
}

/** Two threads on a 2-core machine: one poisonous task never holds every thread. */
export function defaultEngineThreads(): number {
  return Math.max(2, Math.min(4, availableParallelism() - 1));
}

/** Error text prefix of a task stopped for its budget (time or memory), as runs store it. */
export const BUDGET_EXCEEDED_PREFIX = 'engine-budget-exceeded';

export class EngineBudgetExceededError extends Error {
  constructor(
    readonly reason: 'time' | 'memory',
    detail: string,
  ) {
    super(`${BUDGET_EXCEEDED_PREFIX}: ${detail}`);
    this.name = 'EngineBudgetExceededError';
  }
}

export class EnginePool {
  private readonly pool: Piscina;
  readonly admission: TenantAdmission;
  readonly budgetMs: number;
  readonly maxHeapMb: number;

  constructor(options: EnginePoolOptions) {
    this.budgetMs = options.budgetMs ?? DEFAULT_ENGINE_BUDGET_MS;
    this.maxHeapMb = options.maxHeapMb ?? DEFAULT_ENGINE_THREAD_HEAP_MB;
    const compiled = `${options.threadFile}.js`;
    const source = `${options.threadFile}.ts`;
    const fromSource = !existsSync(compiled) && existsSync(source);
    const threads = options.threads ?? defaultEngineThreads();
    this.admission = new TenantAdmission(
      threads,
      options.maxThreadsPerTenant ?? Math.max(1, threads - 1),
    );
    const workerData: ThreadSettings = { nice: options.threadNice ?? DEFAULT_ENGINE_THREAD_NICE };
    startLibuvThreadsHere();
    this.pool = new Piscina({
      filename: fromSource ? source : compiled,
      // Source (tests, `tsx` runs): the thread compiles TypeScript and resolves workspace aliases.
      execArgv: fromSource ? ['--import', 'tsx'] : [],
      // Every thread started up front (and a terminated one replaced at once), each loading the
      // engine before it takes a task.
      minThreads: threads,
      maxThreads: threads,
      // A thread holds its loaded clusters: keep it rather than reload them.
      idleTimeout: 10 * 60_000,
      concurrentTasksPerWorker: 1,
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: this.maxHeapMb,
        maxYoungGenerationSizeMb: 64,
        stackSizeMb: 4,
      },
    });
  }

  get threads(): number {
    return this.pool.threads.length;
  }

  /**
   * Runs the task on a thread; rejects with EngineBudgetExceededError past the budget or heap.
   * The budget counts from when a thread starts the task (it writes the time into a shared cell),
   * not while the task waits for its turn, for a free thread or for a new thread to load the
   * engine: the timer, set for a whole budget, looks at the cell when it fires and waits again for
   * what is left.
   */
  async run<T extends EngineTask>(task: T, options: EngineRunOptions = {}): Promise<AnswerOf<T>> {
    const budgetMs = options.budgetMs ?? this.budgetMs;
    const abort = new AbortController();
    const startedAt = new BigInt64Array(new SharedArrayBuffer(8));
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      const started = Number(Atomics.load(startedAt, 0));
      // Not started yet: it cannot end before a whole budget from now.
      const left = started === 0 ? budgetMs : started + budgetMs - Date.now();
      if (left <= 0) abort.abort();
      else timer = setTimeout(check, left);
    };
    timer = setTimeout(check, budgetMs);
    const release = await this.admission.admit(options.tenant ?? NO_TENANT);
    try {
      const message: ThreadMessage = { task, startedAt };
      return (await this.pool.run(message, { signal: abort.signal })) as AnswerOf<T>;
    } catch (error) {
      throw asBudgetError(error, budgetMs, this.maxHeapMb);
    } finally {
      release();
      clearTimeout(timer);
      const started = Number(Atomics.load(startedAt, 0));
      if (started !== 0) options.onEngineTime?.(Math.max(0, Date.now() - started));
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

function asBudgetError(error: unknown, budgetMs: number, heapMb: number): unknown {
  const e = error as { name?: string; code?: string; message?: string } | null;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError')
    return new EngineBudgetExceededError(
      'time',
      `the engine did not finish within ${budgetMs / 1000} s`,
    );
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new EngineBudgetExceededError(
      'memory',
      `the engine ran out of its ${heapMb} MiB of memory`,
    );
  return error;
}

/** The compiled or source thread entry next to `dir` (an app's own `engine-thread` file). */
export function threadFileIn(dir: string): string {
  return join(dir, 'engine-thread');
}
