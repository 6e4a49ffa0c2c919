// One guard for every route (registered globally): public routes pass, admin routes need the
// NETPLAY_ADMIN_KEY bootstrap key, all others a tenant's API key as `Authorization: Bearer <key>`.
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { ACCESS_METADATA, type AccessLevel } from './access.decorators';
import { requestOf } from './request-of';

export interface ApiKeyIdentity {
  id: string;
  tenantId: string;
}

/** What the guard needs from the API key repository. */
export interface ApiKeyAuthenticator {
  authenticate(plaintext: string): Promise<ApiKeyIdentity | undefined>;
}
export const API_KEY_AUTHENTICATOR = Symbol('API_KEY_AUTHENTICATOR');

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'adminKey'>,
    @Inject(API_KEY_AUTHENTICATOR) private readonly keys: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'tenant';
    if (access === 'public') return true;
    const request = requestOf(context);
    const token = bearerToken(request.headers.authorization);
    if (access === 'admin') {
      if (!this.config.adminKey)
        throw new ApiError(
          'forbidden',
          'the admin endpoints are disabled: NETPLAY_ADMIN_KEY is not set',
        );
      if (!token || !sameSecret(token, this.config.adminKey))
        throw new ApiError(
          'unauthenticated',
          'the admin key is required (Authorization: Bearer <NETPLAY_ADMIN_KEY>)',
        );
      return true;
    }
    if (!token)
      throw new ApiError('unauthenticated', 'an API key is required (Authorization: Bearer <key>)');
    const key = await this.keys.authenticate(token);
    if (!key) throw new ApiError('unauthenticated', 'the API key is unknown or revoked');
    request.caller = { tenantId: key.tenantId, apiKeyId: key.id };
    return true;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Compares digests in constant time, so the comparison's duration says nothing about the key. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
