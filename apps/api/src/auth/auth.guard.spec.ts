import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Registry } from 'prom-client';
import type { TenantRepository } from '@netplay/db';
import type { ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import type { MetricsService } from '../metrics/metrics.service';
import { RateLimitsService } from '../throttling/rate-limits.service';
import { TenantRateLimits } from '../throttling/tenant-rate-limits';
import type { AccessLevel } from './access.decorators';
import { ApiKeyAuthentication } from './api-key-authentication';
import { AuthGuard, bearerToken, type ApiKeyAuthenticator } from './auth.guard';
import type { LearnerSessionAuthenticator, ShareLinkAuthenticator } from './api-key-authentication';
import type { AuthenticatedRequest } from './request-of';

const ADMIN_KEY = 'admin-key-0123456789';
const TENANT_KEY = `np_${'k'.repeat(43)}`;
const LEARNER_TOKEN = `nls_${'l'.repeat(43)}`;
const EXPIRED_TOKEN = `nls_${'e'.repeat(43)}`;
const SHARE_TOKEN = `nsh_${'s'.repeat(43)}`;
const FAILURES_PER_MINUTE = 3;

/** Counts lookups, so a test can tell which keys reached the database. */
function keyStore() {
  const looked: string[] = [];
  const keys: ApiKeyAuthenticator = {
    authenticate: async (plaintext) => {
      looked.push(plaintext);
      return plaintext === TENANT_KEY ? { id: 'key-1', tenantId: 'tenant-1' } : undefined;
    },
  };
  return { keys, looked };
}

/** One live learner session; the repository answers nothing for any other token (e.g. expired). */
const sessions: LearnerSessionAuthenticator = {
  authenticate: async (token) =>
    token === LEARNER_TOKEN
      ? {
          id: 'session-1',
          tenantId: 'tenant-1',
          learnerRef: 'learner-a',
          role: 'learner',
          exerciseId: null,
          sandboxId: null,
          expiresAt: new Date(8.64e15),
          revokedAt: null,
          createdAt: new Date(0),
        }
      : undefined,
};

/** One live share link to revision 3 of sandbox-1. */
const shareLinks: ShareLinkAuthenticator = {
  authenticate: async (token) =>
    token === SHARE_TOKEN
      ? {
          id: 'link-1',
          tenantId: 'tenant-1',
          sandboxId: 'sandbox-1',
          version: 3,
          expiresAt: new Date(8.64e15),
          revokedAt: null,
          createdAt: new Date(0),
        }
      : undefined,
};

/** The per-process budgets of embedded mode (no Redis). */
function authentication(keys: ApiKeyAuthenticator): ApiKeyAuthentication {
  const config = {
    rateLimitPerMinute: 1_000,
    rateLimitBurst: 1_000,
    authFailuresPerMinute: FAILURES_PER_MINUTE,
    apiKeyCacheTtlMs: 0,
  } as ApiConfig;
  const metrics = { registry: new Registry() } as MetricsService;
  // Every tenant on the deployment's budget.
  const tenants = { rateLimit: async () => undefined } as unknown as TenantRepository;
  return new ApiKeyAuthentication(
    keys,
    new RateLimitsService(
      config,
      { keyPrefix: 'spec' },
      metrics,
      new TenantRateLimits(config, tenants),
    ),
    sessions,
    shareLinks,
  );
}

const { keys } = keyStore();

function contextFor(
  access: AccessLevel | undefined,
  authorization?: string,
  ip = '192.0.2.1',
  learnerAllowed = false,
) {
  const request = {
    ip,
    headers: authorization === undefined ? {} : { authorization },
  } as AuthenticatedRequest;
  const handler = () => undefined;
  if (access) Reflect.defineMetadata('netplay:access', access, handler);
  if (learnerAllowed) Reflect.defineMetadata('netplay:learner-allowed', true, handler);
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

async function outcome(guard: AuthGuard, context: ExecutionContext): Promise<string> {
  try {
    return (await guard.canActivate(context)) ? 'allowed' : 'denied';
  } catch (error) {
    return error instanceof ApiError ? error.code : 'threw';
  }
}

describe('AuthGuard', () => {
  const guard = new AuthGuard(new Reflector(), { adminKey: ADMIN_KEY }, authentication(keys));

  it.each<[string, AccessLevel | undefined, string | undefined, string]>([
    ['a public route without a key', 'public', undefined, 'allowed'],
    ['a tenant route without a key', undefined, undefined, 'unauthenticated'],
    [
      'a tenant route with an unknown key',
      undefined,
      `Bearer np_${'u'.repeat(43)}`,
      'unauthenticated',
    ],
    [
      'a tenant route with a non-Bearer scheme',
      undefined,
      `Basic ${TENANT_KEY}`,
      'unauthenticated',
    ],
    ['a tenant route with a valid key', 'tenant', `Bearer ${TENANT_KEY}`, 'allowed'],
    ['a tenant route with the admin key', undefined, `Bearer ${ADMIN_KEY}`, 'unauthenticated'],
    ['an admin route without a key', 'admin', undefined, 'unauthenticated'],
    ['an admin route with a tenant key', 'admin', `Bearer ${TENANT_KEY}`, 'unauthenticated'],
    ['an admin route with the admin key', 'admin', `Bearer ${ADMIN_KEY}`, 'allowed'],
  ])('%s: %s', async (_name, access, authorization, expected) => {
    expect(await outcome(guard, contextFor(access, authorization).context)).toBe(expected);
  });

  it('records the caller (tenant and key) on the request', async () => {
    const { context, request } = contextFor(undefined, `Bearer ${TENANT_KEY}`);
    await guard.canActivate(context);
    expect(request.caller).toEqual({ tenantId: 'tenant-1', apiKeyId: 'key-1' });
  });

  it('records a learner session as a caller scoped to its learner', async () => {
    const { context, request } = contextFor(
      undefined,
      `Bearer ${LEARNER_TOKEN}`,
      '192.0.2.1',
      true,
    );
    expect(await outcome(guard, context)).toBe('allowed');
    expect(request.caller).toEqual({
      tenantId: 'tenant-1',
      learner: { sessionId: 'session-1', learnerRef: 'learner-a', role: 'learner' },
      ownerRef: 'learner-a',
    });
  });

  it.each<[string, AccessLevel | undefined, boolean, string]>([
    ['a route not marked for learners', undefined, false, 'forbidden'],
    ['a route marked for learners', undefined, true, 'allowed'],
    ['an admin route', 'admin', false, 'unauthenticated'],
  ])('a learner session on %s: %s', async (_name, access, learnerAllowed, expected) => {
    const { context } = contextFor(access, `Bearer ${LEARNER_TOKEN}`, '192.0.2.2', learnerAllowed);
    expect(await outcome(guard, context)).toBe(expected);
  });

  it('lets a share token through share routes only, even past learner and tenant routes', async () => {
    const share = (learnerAllowed: boolean, shareAllowed: boolean) => {
      const made = contextFor(undefined, `Bearer ${SHARE_TOKEN}`, '192.0.2.4', learnerAllowed);
      if (shareAllowed)
        Reflect.defineMetadata('netplay:share-allowed', true, made.context.getHandler());
      return made;
    };
    expect(await outcome(guard, share(false, false).context)).toBe('forbidden');
    expect(await outcome(guard, share(true, false).context)).toBe('forbidden');
    const allowed = share(false, true);
    expect(await outcome(guard, allowed.context)).toBe('allowed');
    expect(allowed.request.caller).toEqual({
      tenantId: 'tenant-1',
      share: { linkId: 'link-1', sandboxId: 'sandbox-1', version: 3 },
    });
  });

  it('refuses an unknown, expired or revoked learner token with 401', async () => {
    const { context } = contextFor(undefined, `Bearer ${EXPIRED_TOKEN}`, '192.0.2.3', true);
    expect(await outcome(guard, context)).toBe('unauthenticated');
  });

  it('refuses every admin call when no admin key is configured', async () => {
    const unconfigured = new AuthGuard(
      new Reflector(),
      { adminKey: undefined },
      authentication(keys),
    );
    expect(await outcome(unconfigured, contextFor('admin', 'Bearer anything').context)).toBe(
      'forbidden',
    );
  });
});

describe('failed authentication', () => {
  it('refuses a malformed key without looking it up', async () => {
    const store = keyStore();
    const guard = new AuthGuard(
      new Reflector(),
      { adminKey: ADMIN_KEY },
      authentication(store.keys),
    );
    expect(await outcome(guard, contextFor(undefined, 'Bearer np_short').context)).toBe(
      'unauthenticated',
    );
    expect(store.looked).toEqual([]);
  });

  it('answers 429 to an address over its failures, without another lookup, and not to others', async () => {
    const store = keyStore();
    const guard = new AuthGuard(
      new Reflector(),
      { adminKey: ADMIN_KEY },
      authentication(store.keys),
    );
    const forged = `Bearer np_${'f'.repeat(43)}`;
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < FAILURES_PER_MINUTE + 3; attempt += 1)
      outcomes.push(await outcome(guard, contextFor(undefined, forged, '192.0.2.9').context));
    expect(outcomes).toEqual([
      ...Array(FAILURES_PER_MINUTE).fill('unauthenticated'),
      'rate-limited',
      'rate-limited',
      'rate-limited',
    ]);
    // The refusal of the over-budget attempt itself cost one lookup; later ones none.
    expect(store.looked).toHaveLength(FAILURES_PER_MINUTE + 1);
    expect(
      await outcome(guard, contextFor(undefined, `Bearer ${TENANT_KEY}`, '192.0.2.10').context),
    ).toBe('allowed');
  });

  it('counts wrong admin keys like wrong API keys', async () => {
    const guard = new AuthGuard(new Reflector(), { adminKey: ADMIN_KEY }, authentication(keys));
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < FAILURES_PER_MINUTE + 1; attempt += 1)
      outcomes.push(
        await outcome(guard, contextFor('admin', 'Bearer wrong-admin-key', '192.0.2.7').context),
      );
    expect(outcomes.at(-1)).toBe('rate-limited');
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer np_abc', 'np_abc'],
    ['bearer np_abc', 'np_abc'],
    ['Bearer   np_abc  ', 'np_abc'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['np_abc', undefined],
    [undefined, undefined],
  ])('%s gives %s', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
