// One delivery attempt of one event to one endpoint: sign afresh (new timestamp, same id and body),
// send through the SSRF guard, log the attempt, and decide what happens to the endpoint. Only a 2xx
// is success; a 3xx is a failure (redirects are not followed); 410 Gone disables the endpoint at
// once (Standard Webhooks spec, "Delivery"); `disableAfterFailures` consecutive failures disable it
// too. Both write an `endpoint.disabled` TenantEvent. The queue driver decides when to call again.
import type { WebhookEndpointRepository, WebhookEventRepository } from '@netplay/db';
import { sendGuardedRequest, type DeliveryErrorClass } from './guarded-http';
import { signWebhook } from './signing';
import type { SsrfPolicy } from './ssrf-guard';

/** About three days of the default schedule's retries for a single event, or a burst of events. */
export const DEFAULT_DISABLE_AFTER_FAILURES = 20;

export interface DeliveryJob {
  eventId: string;
  endpointId: string;
  /** The endpoint's tenant: deliveries are capped per tenant so one tenant's dead endpoints cannot hold every sender. */
  tenantId?: string;
  /** A tenant asked for this attempt (redelivery); logged as such. */
  manual?: boolean;
}

export interface DeliveryDependencies {
  endpoints: WebhookEndpointRepository;
  events: WebhookEventRepository;
  policy: SsrfPolicy;
  disableAfterFailures?: number;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  now?: () => Date;
  /** Operational log lines; they carry ids, URLs and outcomes, never secrets or signatures. */
  log?: (line: DeliveryLogLine) => void;
}

export interface DeliveryLogLine {
  eventId: string;
  endpointId: string;
  attempt: number;
  statusCode?: number;
  errorClass?: DeliveryErrorClass;
  latencyMs: number;
  endpointDisabled: boolean;
}

export type DeliveryOutcome =
  | { status: 'delivered'; attempt: number; statusCode: number }
  | {
      status: 'failed';
      attempt: number;
      errorClass: DeliveryErrorClass;
      statusCode?: number;
      retry: boolean;
      endpointDisabled: boolean;
    }
  | { status: 'skipped'; reason: 'event_missing' | 'endpoint_missing' | 'endpoint_disabled' };

const GONE = 410;

export async function deliverWebhook(
  job: DeliveryJob,
  deps: DeliveryDependencies,
): Promise<DeliveryOutcome> {
  const now = deps.now ?? (() => new Date());
  const event = await deps.events.get(job.eventId);
  if (!event) return { status: 'skipped', reason: 'event_missing' };
  const endpoint = await deps.endpoints.getForDelivery(job.endpointId, now());
  if (!endpoint || endpoint.tenantId !== event.tenantId)
    return { status: 'skipped', reason: 'endpoint_missing' };
  // Re-read on every attempt: the tenant may have disabled the endpoint or rotated its secret since.
  if (endpoint.disabledAt) return { status: 'skipped', reason: 'endpoint_disabled' };

  const response = await sendGuardedRequest({
    url: endpoint.url,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'netplay-webhooks/1',
      ...signWebhook(event.id, event.payload, endpoint.signingSecrets, now()),
    },
    body: event.payload,
    policy: deps.policy,
    connectTimeoutMs: deps.connectTimeoutMs,
    responseTimeoutMs: deps.responseTimeoutMs,
  });
  const logged = await deps.events.recordAttempt({
    eventId: event.id,
    endpointId: endpoint.id,
    statusCode: response.statusCode ?? null,
    latencyMs: response.latencyMs,
    errorClass: response.errorClass ?? null,
    responseExcerpt:
      response.bodyExcerpt.length > 0 ? response.bodyExcerpt : (response.message ?? null),
    manual: job.manual ?? false,
  });

  let outcome: DeliveryOutcome;
  if (!response.errorClass) {
    await deps.endpoints.recordSuccess(endpoint.id);
    outcome = {
      status: 'delivered',
      attempt: logged.attempt,
      statusCode: response.statusCode ?? 0,
    };
  } else if (response.statusCode === GONE) {
    await deps.endpoints.disable(endpoint.id, 'the receiver answered 410 Gone', now());
    outcome = {
      status: 'failed',
      attempt: logged.attempt,
      errorClass: response.errorClass,
      statusCode: GONE,
      retry: false,
      endpointDisabled: true,
    };
  } else {
    const counted = await deps.endpoints.recordFailure(
      endpoint.id,
      deps.disableAfterFailures ?? DEFAULT_DISABLE_AFTER_FAILURES,
      now(),
    );
    outcome = {
      status: 'failed',
      attempt: logged.attempt,
      errorClass: response.errorClass,
      statusCode: response.statusCode,
      retry: !counted.disabled,
      endpointDisabled: counted.disabled,
    };
  }
  deps.log?.({
    eventId: event.id,
    endpointId: endpoint.id,
    attempt: logged.attempt,
    statusCode: response.statusCode,
    errorClass: response.errorClass,
    latencyMs: response.latencyMs,
    endpointDisabled: outcome.status === 'failed' && outcome.endpointDisabled,
  });
  return outcome;
}
