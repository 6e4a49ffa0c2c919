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
import {
  checkUrlTarget,
  generateWebhookSecret,
  PING_EVENT_TYPE,
  publishWebhookEvent,
  redeliverWebhookEvent,
  type SsrfPolicy,
} from '@netplay/webhooks';
import {
  TenantEventRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
} from '@netplay/db';
import type { JobQueue } from '@netplay/queue';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { DELIVERY_QUEUE, SECRETS_UNAVAILABLE } from '../infra/tokens';
import { ApiError } from '../errors/api-error';
import { pageView } from '../paging/page-view';

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
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly events: WebhookEventRepository,
    private readonly tenantEventLog: TenantEventRepository,
    @Inject(DELIVERY_QUEUE) private readonly deliveryQueue: JobQueue<'deliver-webhook'>,
    @Inject(SECRETS_UNAVAILABLE) private readonly secretsUnavailable: string,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async create(
    tenantId: string,
    input: EndpointInput,
  ): Promise<WebhookEndpointView & { secret: string }> {
    this.requireSecrets();
    checkEndpointUrl(input.url, this.config.webhooks.policy);
    const secret = generateWebhookSecret();
    const endpoint = await this.endpoints.create(tenantId, {
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      description: input.description,
      secret,
    });
    return { ...toEndpointView(endpoint), secret };
  }

  /** Newest first, a page at a time. */
  async list(tenantId: string, request: PageRequest = {}): Promise<Page<WebhookEndpointView>> {
    return pageView(await this.endpoints.list(tenantId, request), toEndpointView);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointView> {
    return toEndpointView(await this.record(tenantId, id));
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(tenantId, id))) throw notFound('webhook endpoint', id);
  }

  async rotateSecret(
    tenantId: string,
    id: string,
  ): Promise<WebhookEndpointView & { secret: string }> {
    this.requireSecrets();
    const secret = generateWebhookSecret();
    const endpoint = await this.endpoints.rotateSecret(tenantId, id, secret, ROTATION_OVERLAP_MS);
    if (!endpoint) throw notFound('webhook endpoint', id);
    return { ...toEndpointView(endpoint), secret };
  }

  /** The endpoint's latest attempts, newest first. */
  async deliveries(tenantId: string, id: string, limit = 50): Promise<{ items: DeliveryView[] }> {
    await this.record(tenantId, id);
    return {
      items: (await this.events.deliveriesToEndpoint(id, limit)).map(toDeliveryView),
    };
  }

  /** One more attempt, same id and body; to one endpoint, or to every endpoint subscribed to the event's type. */
  async redeliver(
    tenantId: string,
    eventId: string,
    endpointId?: string,
  ): Promise<{ eventId: string; endpointIds: string[] }> {
    const event = await this.events.getForTenant(tenantId, eventId);
    if (!event) throw notFound('webhook event', eventId);
    const endpointIds = endpointId
      ? [endpointId]
      : await this.endpoints.subscriberIds(tenantId, event.type);
    const deps = {
      endpoints: this.endpoints,
      events: this.events,
      queue: this.deliveryQueue,
    };
    for (const id of endpointIds) {
      if ((await redeliverWebhookEvent(tenantId, eventId, id, deps)) === 'not_found')
        throw notFound('webhook endpoint', id);
    }
    return { eventId, endpointIds };
  }

  /**
   * Sends the test event to one endpoint, signed and retried like any other, whatever it
   * subscribes to. A disabled endpoint receives nothing, so pinging one is a conflict.
   */
  async ping(tenantId: string, id: string): Promise<PingView> {
    const endpoint = await this.record(tenantId, id);
    if (endpoint.disabledAt)
      throw new ApiError('conflict', `webhook endpoint ${id} is disabled; create a new one`);
    const published = await publishWebhookEvent(
      tenantId,
      PING_EVENT_TYPE,
      { endpointId: endpoint.id, url: endpoint.url },
      {
        endpoints: this.endpoints,
        events: this.events,
        queue: this.deliveryQueue,
      },
      undefined,
      [endpoint.id],
    );
    // Never null: the endpoint is named as the subscriber, so the event is stored.
    if (published.eventId === null) throw new ApiError('internal', 'the ping was not stored');
    return { eventId: published.eventId, endpointId: endpoint.id, type: PING_EVENT_TYPE };
  }

  /** Newest first, a page at a time. */
  async tenantEvents(tenantId: string, request: PageRequest = {}): Promise<Page<TenantEventView>> {
    return pageView(await this.tenantEventLog.list(tenantId, request), toTenantEventView);
  }

  private async record(tenantId: string, id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await this.endpoints.get(tenantId, id);
    if (!endpoint) throw notFound('webhook endpoint', id);
    return endpoint;
  }

  private requireSecrets(): void {
    if (this.secretsUnavailable)
      throw new ApiError(
        'unavailable',
        `webhook secrets cannot be stored: ${this.secretsUnavailable}`,
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

export interface PingView {
  eventId: string;
  endpointId: string;
  type: typeof PING_EVENT_TYPE;
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
