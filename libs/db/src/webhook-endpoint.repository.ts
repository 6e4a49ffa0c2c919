// Webhook endpoints with their signing secrets encrypted at rest (secret-cipher.ts). Secrets leave
// this repository only through `getForDelivery`, for the signer; listings never carry them.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client';
import { isUuid } from '@netplay/contracts';
import type { SecretCipher } from './secret-cipher';
import type { Database, SqlExecutor } from './sql-executor';
import { subscriberIdsSql } from './webhook-subscribers-sql';
import { TENANT_EVENT_TYPES } from './tenant-event.repository';
import { keysetPage, NEWEST_FIRST, type Page, type PageRequest } from './paging';

export interface WebhookEndpointRecord {
  id: string;
  tenantId: string;
  url: string;
  description: string;
  eventTypes: string[];
  /** The previous secret still signs until then (rotation overlap). */
  previousExpiresAt: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What the sender needs: the endpoint and the secrets that sign right now (current first). */
export interface DeliverableEndpoint extends WebhookEndpointRecord {
  signingSecrets: string[];
}

export interface NewWebhookEndpoint {
  url: string;
  description?: string;
  eventTypes: string[];
  /** A `whsec_…` secret (libs/webhooks generates them). */
  secret: string;
}

export type FailureOutcome = { consecutiveFailures: number; disabled: boolean };

const PUBLIC_FIELDS = {
  id: true,
  tenantId: true,
  url: true,
  description: true,
  eventTypes: true,
  previousExpiresAt: true,
  disabledAt: true,
  disabledReason: true,
  consecutiveFailures: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Ciphertexts are bound to their row and slot, so one cannot be moved to another endpoint. */
function secretContext(endpointId: string, slot: 'current' | 'previous'): string {
  return `webhook_endpoint:${endpointId}:${slot}`;
}

export class WebhookEndpointRepository {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlExecutor;

  constructor(
    database: Database,
    private readonly cipher: SecretCipher,
  ) {
    this.prisma = database.prisma;
    this.sql = database.sql;
  }

  create(tenantId: string, input: NewWebhookEndpoint): Promise<WebhookEndpointRecord> {
    const id = randomUUID();
    return this.prisma.webhookEndpoint.create({
      data: {
        id,
        tenantId,
        url: input.url,
        description: input.description ?? '',
        eventTypes: input.eventTypes,
        secretCiphertext: this.cipher.encrypt(input.secret, secretContext(id, 'current')),
      },
      select: PUBLIC_FIELDS,
    });
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (
      (await this.prisma.webhookEndpoint.findFirst({
        where: { id, tenantId },
        select: PUBLIC_FIELDS,
      })) ?? undefined
    );
  }

  /** Newest first, a page at a time. */
  list(tenantId: string, request: PageRequest = {}): Promise<Page<WebhookEndpointRecord>> {
    return keysetPage(request, (after, take) =>
      this.prisma.webhookEndpoint.findMany({
        where: { tenantId, ...after },
        orderBy: NEWEST_FIRST,
        take,
        select: PUBLIC_FIELDS,
      }),
    );
  }

  /** Ids of the tenant's enabled endpoints subscribed to `eventType`, oldest first: the fan-out of one event. */
  async subscriberIds(tenantId: string, eventType: string): Promise<string[]> {
    const [row] = await this.sql.query<{ ids: string[] }>(
      `SELECT ${subscriberIdsSql('$1', '$2')} AS ids`,
      [tenantId, eventType],
    );
    return row?.ids ?? [];
  }

  /** The endpoint with its signing secrets decrypted; the previous one only while its overlap lasts. */
  async getForDelivery(
    id: string,
    now: Date = new Date(),
  ): Promise<DeliverableEndpoint | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.prisma.webhookEndpoint.findUnique({ where: { id } });
    if (!row) return undefined;
    const signingSecrets = [
      this.cipher.decrypt(row.secretCiphertext, secretContext(id, 'current')),
    ];
    if (row.previousSecretCiphertext && row.previousExpiresAt && row.previousExpiresAt > now) {
      signingSecrets.push(
        this.cipher.decrypt(row.previousSecretCiphertext, secretContext(id, 'previous')),
      );
    }
    const { secretCiphertext: _current, previousSecretCiphertext: _previous, ...record } = row;
    return { ...record, signingSecrets };
  }

  /**
   * Makes `newSecret` current; the old one keeps signing (second `v1,` entry) for `overlapMs`, so
   * a platform can switch its verifier without losing a message.
   */
  async rotateSecret(
    tenantId: string,
    id: string,
    newSecret: string,
    overlapMs: number,
    now: Date = new Date(),
  ): Promise<WebhookEndpointRecord | undefined> {
    const endpoint = await this.getForDelivery(id, now);
    if (!endpoint || endpoint.tenantId !== tenantId) return undefined;
    return this.prisma.webhookEndpoint.update({
      where: { id },
      data: {
        secretCiphertext: this.cipher.encrypt(newSecret, secretContext(id, 'current')),
        previousSecretCiphertext: this.cipher.encrypt(
          endpoint.signingSecrets[0],
          secretContext(id, 'previous'),
        ),
        previousExpiresAt: new Date(now.getTime() + overlapMs),
      },
      select: PUBLIC_FIELDS,
    });
  }

  async recordSuccess(id: string): Promise<void> {
    await this.prisma.webhookEndpoint.updateMany({
      where: { id, consecutiveFailures: { gt: 0 } },
      data: { consecutiveFailures: 0 },
    });
  }

  /**
   * Counts a failed attempt; at `disableAfter` consecutive failures the endpoint is disabled and the
   * tenant told (`endpoint.disabled`), in the same transaction.
   */
  async recordFailure(
    id: string,
    disableAfter: number,
    now: Date = new Date(),
  ): Promise<FailureOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.webhookEndpoint.update({
        where: { id },
        data: { consecutiveFailures: { increment: 1 } },
      });
      if (updated.disabledAt || updated.consecutiveFailures < disableAfter) {
        return {
          consecutiveFailures: updated.consecutiveFailures,
          disabled: updated.disabledAt !== null,
        };
      }
      const reason = `${updated.consecutiveFailures} consecutive failed deliveries`;
      await disableInTransaction(tx, updated.id, updated.tenantId, updated.url, reason, now);
      return { consecutiveFailures: updated.consecutiveFailures, disabled: true };
    });
  }

  /** Disables at once (e.g. the receiver answered 410 Gone) and tells the tenant. False if already disabled. */
  async disable(id: string, reason: string, now: Date = new Date()): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.webhookEndpoint.findUnique({ where: { id } });
      if (!row || row.disabledAt) return false;
      return disableInTransaction(tx, row.id, row.tenantId, row.url, reason, now);
    });
  }

  /** Turns delivery back on and forgets past failures. */
  async enable(tenantId: string, id: string): Promise<WebhookEndpointRecord | undefined> {
    if (!(await this.get(tenantId, id))) return undefined;
    return this.prisma.webhookEndpoint.update({
      where: { id },
      data: { disabledAt: null, disabledReason: null, consecutiveFailures: 0 },
      select: PUBLIC_FIELDS,
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.prisma.webhookEndpoint.deleteMany({ where: { id, tenantId } })).count > 0;
  }
}

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Compare-and-set on `disabled_at IS NULL`, so concurrent failures write one TenantEvent. */
async function disableInTransaction(
  tx: Transaction,
  id: string,
  tenantId: string,
  url: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id, disabledAt: null },
    data: { disabledAt: now, disabledReason: reason },
  });
  if (count === 0) return false;
  await tx.tenantEvent.create({
    data: {
      tenantId,
      type: TENANT_EVENT_TYPES.endpointDisabled,
      data: { endpointId: id, url, reason },
      createdAt: now,
    },
  });
  return true;
}
