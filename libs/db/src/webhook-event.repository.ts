// Webhook messages and their delivery log. A message's body text is stored once and sent verbatim
// on every attempt: re-serialising JSON could change bytes and break the receiver's idempotency
// and the signature. Delivery rows number attempts per (event, endpoint); the unique index makes a
// concurrent duplicate attempt take the next number instead of overwriting a row.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client';
import { isUniqueViolation, isUuid } from './prisma-errors';

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

export type NewWebhookDelivery = Omit<WebhookDeliveryRecord, 'id' | 'attempt' | 'at'> & { at?: Date };

/** `msg_` + 128 random bits, base64url: no `.` (the signed content is `id.timestamp.body`). */
export function newWebhookEventId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

const MAX_ATTEMPT_NUMBER_RACES = 5;

export class WebhookEventRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(tenantId: string, input: NewWebhookEvent): Promise<{ event: WebhookEventRecord; created: boolean }> {
    if (input.dedupeKey !== undefined) {
      const existing = await this.prisma.webhookEvent.findFirst({ where: { tenantId, dedupeKey: input.dedupeKey } });
      if (existing) return { event: existing, created: false };
    }
    try {
      const event = await this.prisma.webhookEvent.create({
        data: { id: input.id ?? newWebhookEventId(), tenantId, type: input.type, payload: input.payload, dedupeKey: input.dedupeKey },
      });
      return { event, created: true };
    } catch (error) {
      if (!isUniqueViolation(error) || input.dedupeKey === undefined) throw error;
      const existing = await this.prisma.webhookEvent.findFirst({ where: { tenantId, dedupeKey: input.dedupeKey } });
      if (!existing) throw error;
      return { event: existing, created: false };
    }
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
        return await this.prisma.webhookDelivery.create({ data: { ...input, attempt: (last._max.attempt ?? 0) + 1 } });
      } catch (error) {
        if (!isUniqueViolation(error) || race >= MAX_ATTEMPT_NUMBER_RACES) throw error;
      }
    }
  }

  /** The delivery log of one event (optionally one endpoint), oldest attempt first. */
  async deliveries(tenantId: string, eventId: string, endpointId?: string): Promise<WebhookDeliveryRecord[]> {
    if (endpointId !== undefined && !isUuid(endpointId)) return [];
    return this.prisma.webhookDelivery.findMany({
      where: { eventId, ...(endpointId ? { endpointId } : {}), event: { tenantId } },
      orderBy: [{ at: 'asc' }, { attempt: 'asc' }],
    });
  }

  /** The latest attempts to one endpoint, newest first (the endpoint's delivery log page). */
  async deliveriesToEndpoint(endpointId: string, limit = 50): Promise<WebhookDeliveryRecord[]> {
    if (!isUuid(endpointId)) return [];
    return this.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: [{ at: 'desc' }, { attempt: 'desc' }], take: limit });
  }
}
