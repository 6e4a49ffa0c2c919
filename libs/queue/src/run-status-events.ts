// Run status changes between processes: the worker publishes after each compare-and-set that moved
// a run; the API listens to answer `?wait=true` and GraphQL subscriptions without polling. Redis
// pub/sub is fire-and-forget (a listener that is not connected misses the message), so readers
// subscribe first and then read the row: the row is the truth, the event only says "look again".
import { RUN_STATUS_CHANNEL, type RunStatusChangedEvent } from '@netplay/contracts';
import { EventEmitter } from 'node:events';
import IORedis from 'ioredis';

export type RunStatusListener = (event: RunStatusChangedEvent) => void;

export interface RunStatusEvents {
  publish(event: RunStatusChangedEvent): Promise<void>;
  /** Listens to one run's changes; returns the unsubscribe function. */
  subscribe(runId: string, listener: RunStatusListener): () => void;
  close(): Promise<void>;
}

/** Embedded mode: the worker's handler runs in the API process, so an emitter is enough. */
export class InProcessRunStatusEvents implements RunStatusEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per waiting request or subscription: many at once is normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  async publish(event: RunStatusChangedEvent): Promise<void> {
    this.emitter.emit(event.runId, event);
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
 * subscriber receives every run's events on one channel and hands them to the local listeners.
 */
export class RedisRunStatusEvents implements RunStatusEvents {
  private readonly local = new InProcessRunStatusEvents();
  private readonly channel: string;
  private publisher?: IORedis;
  private subscriber?: Promise<IORedis>;

  constructor(private readonly options: RedisRunStatusEventsOptions) {
    this.channel = options.channel ?? RUN_STATUS_CHANNEL;
  }

  async publish(event: RunStatusChangedEvent): Promise<void> {
    if (!this.publisher) {
      this.publisher = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: 1 });
      this.publisher.on('error', (error) => this.options.onError?.(error));
    }
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  subscribe(runId: string, listener: RunStatusListener): () => void {
    void this.ensureSubscribed().catch((error: Error) => this.options.onError?.(error));
    return this.local.subscribe(runId, listener);
  }

  /** Resolves once Redis confirmed the subscription: events published after it are delivered. */
  async ready(): Promise<void> {
    await this.ensureSubscribed();
  }

  async close(): Promise<void> {
    await this.local.close();
    const subscriber = await this.subscriber?.catch(() => undefined);
    await Promise.all([subscriber?.quit().catch(() => undefined), this.publisher?.quit().catch(() => undefined)]);
  }

  private ensureSubscribed(): Promise<IORedis> {
    this.subscriber ??= (async () => {
      const connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
      connection.on('error', (error) => this.options.onError?.(error));
      connection.on('message', (channel: string, message: string) => {
        if (channel !== this.channel) return;
        const event = parseEvent(message);
        if (event) void this.local.publish(event);
      });
      await connection.subscribe(this.channel);
      return connection;
    })();
    return this.subscriber;
  }
}

function parseEvent(message: string): RunStatusChangedEvent | undefined {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return undefined;
    const event = value as Partial<RunStatusChangedEvent>;
    return typeof event.runId === 'string' && typeof event.status === 'string' ? (event as RunStatusChangedEvent) : undefined;
  } catch {
    return undefined;
  }
}
