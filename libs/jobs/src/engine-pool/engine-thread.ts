// The entry of a worker thread of the engine pool: Piscina calls the default export once per task.
// Loaded clusters stay in the thread between tasks (each thread has its own cache).
import { getPriority, setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { LoadedClusters, runEngineTask, type EngineAnswer, type EngineTask } from './engine-tasks';

/**
 * What a thread receives: the task, and a shared cell in which the thread writes when it started
 * (`Date.now()`; 0 until then). The budget's timer reads the cell, so saying "started" costs no
 * message: a MessageChannel per task cost a port transfer and a wake-up of the caller's event loop
 * on every task (docs/architecture.md, "The engine pool").
 */
export interface ThreadMessage {
  task: EngineTask;
  startedAt: BigInt64Array;
}

/** What the pool gives each thread when it starts it (Piscina's `workerData`). */
export interface ThreadSettings {
  /** Scheduling niceness of this thread. */
  nice: number;
}

// Engine work yields the CPU to the event loops (the API's requests, a worker's coordination),
// PostgreSQL and Redis: on Linux, setpriority on "process 0" from a thread sets that thread's
// niceness only (the kernel schedules threads); raising it needs no privilege. Where the OS
// refuses, the thread runs at the process's priority.
const settings = workerData as ThreadSettings | undefined;
if (settings?.nice) {
  try {
    // Never above the priority the thread started with: lowering niceness needs a privilege.
    setPriority(0, Math.max(getPriority(0), settings.nice));
  } catch {
    // Left at the process's priority: slower isolation, same answers.
  }
}

const clusters = new LoadedClusters();

export default function engineThread({ task, startedAt }: ThreadMessage): EngineAnswer {
  // The caller's budget starts now: time spent queued or loading the engine is not the task's.
  Atomics.store(startedAt, 0, BigInt(Date.now()));
  return runEngineTask(task, clusters);
}
