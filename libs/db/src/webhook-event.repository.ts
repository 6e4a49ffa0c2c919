// Webhook messages and their delivery log. A message's body text is stored once and sent verbatim
// on every attempt: re-serialising JSON could change bytes and break the receiver's idempotency
// and the signature. Delivery rows number attempts per (event, endpoint); the unique index makes a
// concurrent duplicate attempt take the next number instead of overwriting a row.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client';
import { isUuid } from '@netplay/contracts';
import { isUniqueViolation } from './prisma-errors';
import type { Database, SqlExecutor } from './sql-executor';

export interface WebhookEventRecord {
  id: string;
  tenantId: string;
  type: string;
  payload: string;
  dedupeKey: string | null;
  createdAt: Date;
}

export interface NewWebhookEvent {
  type: string;
  /** The exact body text to send. */
  payload: string;
  /** A second create with the same key returns the first event (e.g. `run.completed:<run id>`). */
  dedupeKey?: string;
  /** The id to use; generated (`msg_…`) when absent. */
  id?: string;
}

export interface WebhookDeliveryRecord {
  id: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  errorClass: string | null;
  responseExcerpt: string | null;
  manual: boolean;
  at: Date;
}

export type NewWebhookDelivery = Omit<WebhookDeliveryRecord, 'id' | 'attempt' | 'at'> & {
  at?: Date;
};

/** `msg_` + 128 random bits, base64url: no `.` (the signed content is `id.timestamp.body`). */
export function newWebhookEventId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

const MAX_ATTEMPT_NUMBER_RACES = 5;

/** A message one endpoint has not received yet and may still be sent (listUnfinishedDeliveries). */
export interface UnfinishedDelivery {
  eventId: string;
  endpointId: string;
  tenantId: string;
  /** Scheduled attempts already made (manual redeliveries not counted). */
  attempts: number;
}

export interface UnfinishedDeliveryQuery {
  /** Messages stored in (createdAfter, createdBefore]: older ones are past every retry. */
  createdAfter: Date;
  createdBefore: Date;
  /** The retry schedule's attempts: a delivery that made them all is finished. */
  maxAttempts: number;
  limit?: number;
}

const DEFAULT_UNFINISHED_LIMIT = 500;

interface WebhookEventRow {
  id: string;
  tenant_id: string;
  type: string;
  payload: string;
  dedupe_key: string | null;
  created_at: Date;
}

const EVENT_COLUMNS = 'id, tenant_id, type, payload, dedupe_key, created_at';

function eventRecordOf(row: WebhookEventRow): WebhookEventRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    payload: row.payload,
    dedupeKey: row.dedupe_key,
    createdAt: row.created_at,
  };
}

export class WebhookEventRepository {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlExecutor;

  constructor(database: Database) {
    this.prisma = database.prisma;
    this.sql = database.sql;
  }

  /** Stores the message; with a dedupe key the tenant used before, returns the first one instead (also under a race). */
  async create(
    tenantId: string,
    input: NewWebhookEvent,
  ): Promise<{ event: WebhookEventRecord; created: boolean }> {
    const [inserted] = await this.sql.query<WebhookEventRow>(
      `INSERT INTO webhook_event (id, tenant_id, type, payload, dedupe_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
       RETURNING ${EVENT_COLUMNS}`,
      [
        input.id ?? newWebhookEventId(),
        tenantId,
        input.type,
        input.payload,
        input.dedupeKey ?? null,
      ],
    );
    if (inserted) return { event: eventRecordOf(inserted), created: true };
    const [existing] = await this.sql.query<WebhookEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM webhook_event WHERE tenant_id = $1 AND dedupe_key = $2`,
      [tenantId, input.dedupeKey],
    );
    if (!existing)
      throw new Error(
        `webhook event for dedupe key ${JSON.stringify(input.dedupeKey)} was neither stored nor found`,
      );
    return { event: eventRecordOf(existing), created: false };
  }

  async get(id: string): Promise<WebhookEventRecord | undefined> {
    return (await this.prisma.webhookEvent.findUnique({ where: { id } })) ?? undefined;
  }

  async getForTenant(tenantId: string, id: string): Promise<WebhookEventRecord | undefined> {
    return (await this.prisma.webhookEvent.findFirst({ where: { id, tenantId } })) ?? undefined;
  }

  /** Appends one attempt to the log with the next attempt number of its (event, endpoint). */
  async recordAttempt(input: NewWebhookDelivery): Promise<WebhookDeliveryRecord> {
    for (let race = 0; ; race++) {
      const last = await this.prisma.webhookDelivery.aggregate({
        where: { eventId: input.eventId, endpointId: input.endpointId },
        _max: { attempt: true },
      });
      try {
        return await this.prisma.webhookDelivery.create({
          data: { ...input, attempt: (last._max.attempt ?? 0) + 1 },
        });
      } catch (error) {
        if (!isUniqueViolation(error) || race >= MAX_ATTEMPT_NUMBER_RACES) throw error;
      }
    }
  }

  /**
   * Deliveries the database says are not finished: the message's endpoint (subscribed when it was
   * stored, still enabled) has no successful attempt and fewer scheduled attempts than the schedule
   * allows. Their job should be in the queue, running or waiting for a retry; the delivery
   * reconciler rebuilds the ones Redis lost. Oldest message first.
   */
  async listUnfinishedDeliveries(query: UnfinishedDeliveryQuery): Promise<UnfinishedDelivery[]> {
    const rows = await this.sql.query<{
      event_id: string;
      endpoint_id: string;
      tenant_id: string;
      attempts: number;
    }>(
      `SELECT * FROM (
         SELECT e.id AS event_id, p.id AS endpoint_id, e.tenant_id, e.created_at,
                (SELECT count(*)::int FROM webhook_delivery d
                  WHERE d.event_id = e.id AND d.endpoint_id = p.id AND NOT d.manual) AS attempts
           FROM webhook_event e
           JOIN webhook_endpoint p
             ON p.tenant_id = e.tenant_id AND p.disabled_at IS NULL
            AND e.type = ANY(p.event_types) AND p.created_at <= e.created_at
          WHERE e.created_at > $1 AND e.created_at <= $2
            AND NOT EXISTS (SELECT 1 FROM webhook_delivery d
                             WHERE d.event_id = e.id AND d.endpoint_id = p.id AND d.error_class IS NULL)
       ) unfinished
       WHERE attempts < $3
       ORDER BY created_at, event_id, endpoint_id
       LIMIT $4`,
      [
        query.createdAfter,
        query.createdBefore,
        query.maxAttempts,
        query.limit ?? DEFAULT_UNFINISHED_LIMIT,
      ],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      endpointId: row.endpoint_id,
      tenantId: row.tenant_id,
      attempts: row.attempts,
    }));
  }

  /** The delivery log of one event (optionally one endpoint), oldest attempt first. */
  async deliveries(
    tenantId: string,
    eventId: string,
    endpointId?: string,
  ): Promise<WebhookDeliveryRecord[]> {
    if (endpointId !== undefined && !isUuid(endpointId)) return [];
    return this.prisma.webhookDelivery.findMany({
      where: { eventId, ...(endpointId ? { endpointId } : {}), event: { tenantId } },
      orderBy: [{ at: 'asc' }, { attempt: 'asc' }],
    });
  }

  /** The latest attempts to one endpoint, newest first (the endpoint's delivery log page). */
  async deliveriesToEndpoint(endpointId: string, limit = 50): Promise<WebhookDeliveryRecord[]> {
    if (!isUuid(endpointId)) return [];
    return this.prisma.webhookDelivery.findMany({
      where: { endpointId },
      orderBy: [{ at: 'desc' }, { attempt: 'desc' }],
      take: limit,
    });
  }
}
