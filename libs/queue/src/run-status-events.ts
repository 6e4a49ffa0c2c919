// Run status changes between processes: the worker publishes after each compare-and-set that moved
// a run; the API listens to answer `?wait=true` and GraphQL subscriptions without polling. Redis
// pub/sub is fire-and-forget (a listener that is not connected misses the message), so readers
// subscribe first and then read the row: the row is the truth, the event only says "look again".
// A finished run whose job named a reply address is also sent, whole, to that API process: it was
// committed before it is published, so the process waiting on it can answer without the read.
import {
  RUN_REPLY_CHANNEL_PREFIX,
  RUN_STATUS_CHANNEL,
  type FinishedRun,
  type FinishedRunReply,
  type RunStatusChangedEvent,
} from '@netplay/contracts';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import IORedis from 'ioredis';

/** `finished` comes with the reply to the process that waits on the run, never with a plain status event. */
export type RunStatusListener = (event: RunStatusChangedEvent, finished?: FinishedRun) => void;

export interface RunStatusEvents {
  /**
   * Publishes the changes of one run, in order and in one round trip; with `reply`, first sends the
   * finished run to the API process waiting on it.
   */
  publish(
    changes: RunStatusChangedEvent | readonly RunStatusChangedEvent[],
    reply?: { to: string; finished: FinishedRun },
  ): Promise<void>;
  /** Listens to one run's changes; returns the unsubscribe function. */
  subscribe(runId: string, listener: RunStatusListener): () => void;
  /** Where workers can send this process finished runs (put it in the job); none when runs are handled in-process. */
  readonly replyAddress?: string;
  close(): Promise<void>;
}

/** Embedded mode: the worker's handler runs in the API process, so an emitter is enough. */
export class InProcessRunStatusEvents implements RunStatusEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per waiting request or subscription: many at once is normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  async publish(
    changes: RunStatusChangedEvent | readonly RunStatusChangedEvent[],
    reply?: { finished: FinishedRun },
  ): Promise<void> {
    const events = asList(changes);
    events.forEach((event, index) =>
      this.emitter.emit(
        event.runId,
        event,
        index === events.length - 1 ? reply?.finished : undefined,
      ),
    );
  }

  subscribe(runId: string, listener: RunStatusListener): () => void {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

export interface RedisRunStatusEventsOptions {
  redisUrl: string;
  /** Tests use a unique channel; processes of one deployment share RUN_STATUS_CHANNEL. */
  channel?: string;
  onError?: (error: Error) => void;
}

/**
 * One publisher and one subscriber connection per process, whatever the number of listeners: the
 * subscriber receives every run's events on one channel, and the replies meant for this process
 * on its own, and hands them to the local listeners.
 */
export class RedisRunStatusEvents implements RunStatusEvents {
  readonly replyAddress = randomUUID();
  private readonly local = new InProcessRunStatusEvents();
  private readonly channel: string;
  private readonly replyChannel: string;
  private publisher?: IORedis;
  private subscriber?: Promise<IORedis>;

  constructor(private readonly options: RedisRunStatusEventsOptions) {
    this.channel = options.channel ?? RUN_STATUS_CHANNEL;
    this.replyChannel = replyChannelOf(this.replyAddress);
  }

  async publish(
    changes: RunStatusChangedEvent | readonly RunStatusChangedEvent[],
    reply?: { to: string; finished: FinishedRun },
  ): Promise<void> {
    if (!this.publisher) {
      this.publisher = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: 1 });
      this.publisher.on('error', (error) => this.options.onError?.(error));
    }
    const events = asList(changes);
    if (events.length === 1 && !reply) {
      await this.publisher.publish(this.channel, JSON.stringify(events[0]));
      return;
    }
    // One round trip; the reply first, so the waiting process has the run before the event that would make it read.
    const pipeline = this.publisher.pipeline();
    const last = events[events.length - 1];
    if (reply && last)
      pipeline.publish(
        replyChannelOf(reply.to),
        encodeReply({ runId: last.runId, tenantId: last.tenantId, run: reply.finished }),
      );
    for (const event of events) pipeline.publish(this.channel, JSON.stringify(event));
    const failed = (await pipeline.exec())?.find(([error]) => error)?.[0];
    if (failed) throw failed;
  }

  subscribe(runId: string, listener: RunStatusListener): () => void {
    void this.ensureSubscribed().catch((error: Error) => this.options.onError?.(error));
    return this.local.subscribe(runId, listener);
  }

  /** Resolves once Redis confirmed the subscriptions: events published after it are delivered. */
  async ready(): Promise<void> {
    await this.ensureSubscribed();
  }

  async close(): Promise<void> {
    await this.local.close();
    const subscriber = await this.subscriber?.catch(() => undefined);
    await Promise.all([
      subscriber?.quit().catch(() => undefined),
      this.publisher?.quit().catch(() => undefined),
    ]);
  }

  private ensureSubscribed(): Promise<IORedis> {
    this.subscriber ??= (async () => {
      const connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
      connection.on('error', (error) => this.options.onError?.(error));
      connection.on('message', (channel: string, message: string) => {
        if (channel === this.channel) {
          const event = parseEvent(message);
          if (event) void this.local.publish(event);
        } else if (channel === this.replyChannel) {
          const reply = decodeReply(message);
          if (reply) void this.local.publish(statusOf(reply), { finished: reply.run });
        }
      });
      await connection.subscribe(this.channel, this.replyChannel);
      return connection;
    })();
    return this.subscriber;
  }
}

function asList(
  changes: RunStatusChangedEvent | readonly RunStatusChangedEvent[],
): readonly RunStatusChangedEvent[] {
  return Array.isArray(changes) ? changes : [changes as RunStatusChangedEvent];
}

function replyChannelOf(address: string): string {
  return `${RUN_REPLY_CHANNEL_PREFIX}${address}`;
}

function statusOf(reply: FinishedRunReply): RunStatusChangedEvent {
  return {
    runId: reply.runId,
    tenantId: reply.tenantId,
    status: reply.run.status,
    at: reply.run.finishedAt,
  };
}

/**
 * A JSON header line, then the result's JSON text as the worker stored it: JSON.stringify never
 * writes a raw newline, and the result (the bulk of the message) is neither escaped nor parsed.
 */
export function encodeReply(reply: FinishedRunReply): string {
  const { resultJson, ...run } = reply.run;
  const header = JSON.stringify({ ...reply, run });
  return resultJson === null ? header : `${header}\n${resultJson}`;
}

export function decodeReply(message: string): FinishedRunReply | undefined {
  const newline = message.indexOf('\n');
  const header = parseObject(newline < 0 ? message : message.slice(0, newline)) as
    Partial<FinishedRunReply> | undefined;
  const run = header?.run as Omit<FinishedRun, 'resultJson'> | undefined;
  if (
    typeof header?.runId !== 'string' ||
    typeof header.tenantId !== 'string' ||
    typeof run !== 'object' ||
    run === null
  )
    return undefined;
  if ((run.status !== 'succeeded' && run.status !== 'failed') || typeof run.finishedAt !== 'string')
    return undefined;
  return {
    runId: header.runId,
    tenantId: header.tenantId,
    run: { ...run, resultJson: newline < 0 ? null : message.slice(newline + 1) },
  };
}

function parseEvent(message: string): RunStatusChangedEvent | undefined {
  const event = parseObject(message) as Partial<RunStatusChangedEvent> | undefined;
  return typeof event?.runId === 'string' && typeof event.status === 'string'
    ? (event as RunStatusChangedEvent)
    : undefined;
}

function parseObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
