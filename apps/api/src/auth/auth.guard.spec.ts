import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../errors/api-error';
import type { AccessLevel } from './access.decorators';
import { AuthGuard, bearerToken, type ApiKeyAuthenticator } from './auth.guard';
import type { AuthenticatedRequest } from './request-of';

const ADMIN_KEY = 'admin-key-0123456789';
const TENANT_KEY = 'np_valid';
const keys: ApiKeyAuthenticator = {
  authenticate: async (plaintext) =>
    plaintext === TENANT_KEY ? { id: 'key-1', tenantId: 'tenant-1' } : undefined,
};

function contextFor(access: AccessLevel | undefined, authorization?: string) {
  const request = {
    headers: authorization === undefined ? {} : { authorization },
  } as AuthenticatedRequest;
  const handler = () => undefined;
  if (access) Reflect.defineMetadata('netplay:access', access, handler);
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
  const guard = new AuthGuard(new Reflector(), { adminKey: ADMIN_KEY }, keys);

  it.each<[string, AccessLevel | undefined, string | undefined, string]>([
    ['a public route without a key', 'public', undefined, 'allowed'],
    ['a tenant route without a key', undefined, undefined, 'unauthenticated'],
    ['a tenant route with an unknown key', undefined, 'Bearer np_unknown', 'unauthenticated'],
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

  it('refuses every admin call when no admin key is configured', async () => {
    const unconfigured = new AuthGuard(new Reflector(), { adminKey: undefined }, keys);
    expect(await outcome(unconfigured, contextFor('admin', 'Bearer anything').context)).toBe(
      'forbidden',
    );
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
