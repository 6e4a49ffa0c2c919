// Waits for a run to change without polling: subscribe to its status events first, then read the
// row, then re-read on every event until the condition holds or the deadline passes. Subscribing
// before the first read closes the gap in which a change could be published unseen; the row, not
// the event, is the truth (pub/sub may drop or repeat messages). The one exception is a reply from
// the run's worker: it carries the committed row itself, so it ends the wait without a read.
import {
  isTerminalRunStatus,
  type FinishedRun,
  type RunStatus,
  type RunStatusChangedEvent,
} from '@netplay/contracts';
import type { RunStatusEvents } from '@netplay/queue';

export interface RunWait<Run> {
  events: Pick<RunStatusEvents, 'subscribe'>;
  runId: string;
  /** Reads the run (the row is the truth); undefined when there is no such run. */
  read: () => Promise<Run | undefined>;
  /**
   * The first look, when it is not a read: a submit that waits subscribes before its run exists
   * and takes the insert's own answer as the first look (`read` afterwards).
   */
  firstLook?: () => Promise<Run | undefined>;
  /** Whether the wait is over. */
  done: (run: Run) => boolean;
  timeoutMs: number;
  /**
   * Which announcements are worth a read (all by default). A waiter for a terminal status skips
   * `running`: the row cannot be done yet when that is all that happened, and the terminal
   * change is announced on its own. Skipped events are never the only news of the awaited change.
   */
  worthReading?: (event: RunStatusChangedEvent) => boolean;
  /**
   * The run as a reply from its worker says it finished (the committed row, sent to this process
   * because it waits on the run), when that alone makes the answer: no read follows.
   */
  fromReply?: (finished: FinishedRun) => Run | undefined;
}

/**
 * The run once `done`, or as it is when the deadline passes; undefined when there is no such run.
 */
export async function waitForRun<Run>(wait: RunWait<Run>): Promise<Run | undefined> {
  const { events, runId, done, timeoutMs } = wait;
  const worthReading = wait.worthReading ?? (() => true);
  const fromReply = wait.fromReply ?? (() => undefined);
  let look = wait.firstLook ?? wait.read;
  let wake: () => void = () => undefined;
  let changed = false;
  let replied: Run | undefined;
  const unsubscribe = events.subscribe(runId, (event, finished) => {
    if (finished) replied ??= fromReply(finished);
    if (!replied && !worthReading(event)) return;
    changed = true;
    wake();
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs));
  });
  try {
    for (;;) {
      changed = false;
      if (replied && done(replied)) return replied;
      const run = await look();
      look = wait.read;
      if (replied && done(replied)) return replied;
      if (run === undefined || done(run)) return run;
      // An event that arrived during the read is not lost: `changed` makes the loop read again.
      if (changed) continue;
      const next = new Promise<'event'>((resolve) => {
        wake = () => resolve('event');
      });
      if ((await Promise.race([next, deadline])) === 'timeout') return run;
    }
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

const STATUS_ORDER: Record<RunStatus, number> = { queued: 0, running: 1, succeeded: 2, failed: 2 };

/** How long a subscription goes without news before it reads the row again (a lost announcement). */
export const STATUS_RECHECK_MS = 5_000;

/**
 * The statuses a run goes through from now on, as an async iterator: the current one (read from
 * the row) first, then each later status as it is announced, ending after a terminal one. Events
 * are taken in order, so a run that starts and finishes between two reads still shows `running`;
 * repeated or stale announcements (at-least-once delivery) are skipped. Pub/sub may lose a message
 * (a reconnect), so after `recheckMs` without news the row is read again: a lost announcement delays
 * a status, it never leaves the subscription waiting for good. Used by the GraphQL subscription.
 */
export async function* runStatusChanges(
  events: Pick<RunStatusEvents, 'subscribe'>,
  runId: string,
  tenantId: string,
  readStatus: () => Promise<{ status: RunStatus; at: string } | undefined>,
  recheckMs = STATUS_RECHECK_MS,
): AsyncGenerator<RunStatusChangedEvent> {
  const pending: RunStatusChangedEvent[] = [];
  let wake: () => void = () => undefined;
  const unsubscribe = events.subscribe(runId, (event) => {
    pending.push(event);
    wake();
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const current = await readStatus();
    if (current === undefined) return;
    let last = current.status;
    yield { runId, tenantId, status: current.status, at: current.at };
    while (!isTerminalRunStatus(last)) {
      let event = pending.shift();
      if (event === undefined) {
        const news = await new Promise<'event' | 'quiet'>((resolve) => {
          wake = () => resolve('event');
          timer = setTimeout(() => resolve('quiet'), recheckMs);
        });
        clearTimeout(timer);
        if (news === 'event') continue;
        const row = await readStatus();
        if (row === undefined) return;
        event = { runId, tenantId, status: row.status, at: row.at };
      }
      if (STATUS_ORDER[event.status] <= STATUS_ORDER[last]) continue;
      last = event.status;
      yield event;
    }
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
