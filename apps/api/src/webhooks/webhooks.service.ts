// Webhook endpoints, their delivery log, redelivery and tenant events, for REST (and GraphQL), scoped
// by the caller's tenant. The signing secret leaves the service once: in the answer that created or
// rotated it. A URL that is literally a refused address (127.0.0.1, 169.254.169.254, a private
// range, a non-http scheme) is refused at creation with 422; host names are checked on every
// delivery against the addresses they resolve to (libs/webhooks ssrf-guard.ts).
import { Inject, Injectable } from '@nestjs/common';
import type {
  Page,
  PageRequest,
  TenantEventRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from '@netplay/db';
import type { GradingRuntime } from '@netplay/jobs';
import {
  checkUrlTarget,
  generateWebhookSecret,
  redeliverWebhookEvent,
  type SsrfPolicy,
} from '@netplay/webhooks';
import { ApiError } from '../errors/api-error';
import { pageView } from '../paging/page-view';
import { GRADING_RUNTIME } from './grading-runtime.module';

/** The previous secret keeps signing this long after a rotation, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  disabledAt: string | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  description?: string;
}

@Injectable()
export class WebhooksService {
  constructor(@Inject(GRADING_RUNTIME) private readonly runtime: GradingRuntime) {}

  async create(
    tenantId: string,
    input: EndpointInput,
  ): Promise<WebhookEndpointView & { secret: string }> {
    this.requireSecrets();
    checkEndpointUrl(input.url, this.runtime.settings.policy);
    const secret = generateWebhookSecret();
    const endpoint = await this.runtime.endpoints.create(tenantId, {
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      description: input.description,
      secret,
    });
    return { ...toEndpointView(endpoint), secret };
  }

  /** Newest first, a page at a time. */
  async list(tenantId: string, request: PageRequest = {}): Promise<Page<WebhookEndpointView>> {
    return pageView(await this.runtime.endpoints.list(tenantId, request), toEndpointView);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointView> {
    return toEndpointView(await this.record(tenantId, id));
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.runtime.endpoints.delete(tenantId, id)))
      throw notFound('webhook endpoint', id);
  }

  async rotateSecret(
    tenantId: string,
    id: string,
  ): Promise<WebhookEndpointView & { secret: string }> {
    this.requireSecrets();
    const secret = generateWebhookSecret();
    const endpoint = await this.runtime.endpoints.rotateSecret(
      tenantId,
      id,
      secret,
      ROTATION_OVERLAP_MS,
    );
    if (!endpoint) throw notFound('webhook endpoint', id);
    return { ...toEndpointView(endpoint), secret };
  }

  /** The endpoint's latest attempts, newest first. */
  async deliveries(tenantId: string, id: string, limit = 50): Promise<{ items: DeliveryView[] }> {
    await this.record(tenantId, id);
    return {
      items: (await this.runtime.events.deliveriesToEndpoint(id, limit)).map(toDeliveryView),
    };
  }

  /** One more attempt, same id and body; to one endpoint, or to every endpoint subscribed to the event's type. */
  async redeliver(
    tenantId: string,
    eventId: string,
    endpointId?: string,
  ): Promise<{ eventId: string; endpointIds: string[] }> {
    const event = await this.runtime.events.getForTenant(tenantId, eventId);
    if (!event) throw notFound('webhook event', eventId);
    const endpointIds = endpointId
      ? [endpointId]
      : await this.runtime.endpoints.subscriberIds(tenantId, event.type);
    const deps = {
      endpoints: this.runtime.endpoints,
      events: this.runtime.events,
      queue: this.runtime.deliveryQueue,
    };
    for (const id of endpointIds) {
      if ((await redeliverWebhookEvent(tenantId, eventId, id, deps)) === 'not_found')
        throw notFound('webhook endpoint', id);
    }
    return { eventId, endpointIds };
  }

  /** Newest first, a page at a time. */
  async tenantEvents(tenantId: string, request: PageRequest = {}): Promise<Page<TenantEventView>> {
    return pageView(await this.runtime.tenantEvents.list(tenantId, request), toTenantEventView);
  }

  private async record(tenantId: string, id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await this.runtime.endpoints.get(tenantId, id);
    if (!endpoint) throw notFound('webhook endpoint', id);
    return endpoint;
  }

  private requireSecrets(): void {
    if (this.runtime.secretsUnavailable)
      throw new ApiError(
        'unavailable',
        `webhook secrets cannot be stored: ${this.runtime.secretsUnavailable}`,
      );
  }
}

/** Refuses what is certain before any DNS lookup: an unparsable URL, a bad scheme, credentials, a refused literal address. */
export function checkEndpointUrl(raw: string, policy: SsrfPolicy, field = 'url'): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError('validation-failed', `${field} must be an absolute http(s) URL`, [
      { field, message: 'not a URL' },
    ]);
  }
  const blocked = checkUrlTarget(url, policy);
  if (blocked)
    throw new ApiError('unsafe-webhook-url', blocked.message, [
      { field, message: `${blocked.range} targets are refused` },
    ]);
}

export interface DeliveryView {
  eventId: string;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  errorClass: string | null;
  responseExcerpt: string | null;
  manual: boolean;
  at: string;
}

export interface TenantEventView {
  id: string;
  type: string;
  data: unknown;
  createdAt: string;
}

function toEndpointView(endpoint: WebhookEndpointRecord): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
    consecutiveFailures: endpoint.consecutiveFailures,
    previousSecretExpiresAt: endpoint.previousExpiresAt?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function toDeliveryView(delivery: WebhookDeliveryRecord): DeliveryView {
  return {
    eventId: delivery.eventId,
    attempt: delivery.attempt,
    statusCode: delivery.statusCode,
    latencyMs: delivery.latencyMs,
    errorClass: delivery.errorClass,
    responseExcerpt: delivery.responseExcerpt,
    manual: delivery.manual,
    at: delivery.at.toISOString(),
  };
}

function toTenantEventView(event: TenantEventRecord): TenantEventView {
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    createdAt: event.createdAt.toISOString(),
  };
}

function notFound(what: string, id: string): ApiError {
  return new ApiError('not-found', `no ${what} ${id}`);
}
