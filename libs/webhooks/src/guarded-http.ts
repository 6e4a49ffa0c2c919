// One outbound HTTP request to a tenant-supplied URL, through the SSRF guard: redirects are never
// followed (a 3xx is an answer, not a hop), the connect and the response have their own deadlines,
// and at most `maxBodyBytes` of the body are read before the socket is closed. The outcome is data
// (status, latency, error class, excerpt); nothing here throws for what the network or receiver does.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { checkUrlTarget, guardedLookup, SsrfBlockedError, type SsrfPolicy } from './ssrf-guard';

/** Persisted in the delivery log (`webhook_delivery.error_class`) and documented in docs/webhooks.md. */
export const DELIVERY_ERROR_CLASSES = [
  'ssrf_blocked',
  'dns',
  'connect_timeout',
  'connection_refused',
  'connection_reset',
  'timeout',
  'tls',
  'http_3xx',
  'http_4xx',
  'http_5xx',
] as const;
export type DeliveryErrorClass = (typeof DELIVERY_ERROR_CLASSES)[number];

export interface GuardedRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  policy: SsrfPolicy;
  connectTimeoutMs?: number;
  /** From the connection to the end of the (capped) body. */
  responseTimeoutMs?: number;
  maxBodyBytes?: number;
}

export interface GuardedResponse {
  statusCode?: number;
  /** Undefined only for a 2xx. */
  errorClass?: DeliveryErrorClass;
  /** The first `maxBodyBytes` of the body, decoded as UTF-8 (for the delivery log). */
  bodyExcerpt: string;
  /** The same bytes as `bodyExcerpt`, for callers that parse the answer (LTI's token response). */
  body: Buffer;
  latencyMs: number;
  /** A short human explanation of a failure. */
  message?: string;
  /** The answer's headers (absent when no answer came). */
  headers?: http.IncomingHttpHeaders;
}

/** A reachable receiver connects in milliseconds; a dead one must not hold a sender for long. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
/**
 * Standard Webhooks recommends 15–30 s; receivers should answer at once and work later, and a
 * hanging one holds one of its tenant's few delivery slots (webhook-delivery-queue.ts) meanwhile.
 */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1024;

export function sendGuardedRequest(request: GuardedRequest): Promise<GuardedResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const maxBodyBytes = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(failure('dns', elapsed(), `not a URL: ${request.url}`));
  }
  const refused = checkUrlTarget(url, request.policy);
  if (refused) return Promise.resolve(failure('ssrf_blocked', elapsed(), refused.message));

  return new Promise((resolve) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: GuardedResponse) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      req.destroy();
      resolve(outcome);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: request.method,
      headers: {
        ...request.headers,
        ...(request.body !== undefined
          ? { 'content-length': Buffer.byteLength(request.body) }
          : {}),
      },
      lookup: guardedLookup(request.policy),
      // A fresh connection per request: a pooled socket would skip the lookup, and with it the guard.
      agent: false,
    });
    timers.push(
      setTimeout(
        () => finish(failure('connect_timeout', elapsed(), 'connect timed out')),
        request.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ),
    );
    req.on('socket', (socket: Socket) => {
      const connectedEvent = url.protocol === 'https:' ? 'secureConnect' : 'connect';
      socket.once(connectedEvent, () => {
        clearTimeout(timers[0]);
        timers.push(
          setTimeout(
            () => finish(failure('timeout', elapsed(), 'no complete response in time')),
            request.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
          ),
        );
      });
    });
    req.on('error', (error) => finish(failure(classifyError(error), elapsed(), error.message)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const body = Buffer.concat(chunks).subarray(0, maxBodyBytes);
        const statusCode = res.statusCode ?? 0;
        finish({
          statusCode,
          errorClass: classifyStatus(statusCode),
          bodyExcerpt: decodeExcerpt(body, maxBodyBytes),
          body,
          latencyMs: elapsed(),
          headers: res.headers,
        });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Enough read: the rest of the body is never downloaded.
        if (size >= maxBodyBytes) done();
      });
      res.on('end', done);
      res.on('error', (error) => finish(failure(classifyError(error), elapsed(), error.message)));
    });
    req.end(request.body);
  });
}

function failure(
  errorClass: DeliveryErrorClass,
  latencyMs: number,
  message: string,
): GuardedResponse {
  return { errorClass, latencyMs, message, bodyExcerpt: '', body: Buffer.alloc(0) };
}

export function classifyStatus(statusCode: number): DeliveryErrorClass | undefined {
  if (statusCode >= 200 && statusCode < 300) return undefined;
  if (statusCode >= 300 && statusCode < 400) return 'http_3xx';
  if (statusCode >= 400 && statusCode < 500) return 'http_4xx';
  return 'http_5xx';
}

const TLS_ERROR =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function classifyError(error: NodeJS.ErrnoException): DeliveryErrorClass {
  if (error instanceof SsrfBlockedError) return 'ssrf_blocked';
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'dns';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return 'connection_refused';
  if (code === 'ETIMEDOUT') return 'connect_timeout';
  if (TLS_ERROR.test(code) || /SSL|TLS/.test(error.message)) return 'tls';
  return 'connection_reset';
}

/** UTF-8 text of at most `maxBytes` bytes: a multi-byte character cut at the limit is dropped. */
function decodeExcerpt(body: Buffer, maxBytes: number): string {
  let text = body.toString('utf8');
  while (Buffer.byteLength(text) > maxBytes || text.endsWith('\uFFFD')) text = text.slice(0, -1);
  return text;
}
