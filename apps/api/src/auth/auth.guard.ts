// One guard for every route (registered globally): public routes pass, admin routes need the
// NETPLAY_ADMIN_KEY bootstrap key, all others a tenant's API key as `Authorization: Bearer <key>`.
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { ACCESS_METADATA, type AccessLevel } from './access.decorators';
import { ApiKeyAuthentication, bearerToken, clientAddressOf } from './api-key-authentication';
import { requestOf } from './request-of';

export {
  API_KEY_AUTHENTICATOR,
  bearerToken,
  type ApiKeyAuthenticator,
  type ApiKeyIdentity,
} from './api-key-authentication';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'adminKey'>,
    private readonly authentication: ApiKeyAuthentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'tenant';
    if (access === 'public') return true;
    const request = requestOf(context);
    const address = clientAddressOf(request);
    if (access === 'admin') {
      if (!this.config.adminKey)
        throw new ApiError(
          'forbidden',
          'the admin endpoints are disabled: NETPLAY_ADMIN_KEY is not set',
        );
      await this.authentication.assertMayTryAdminKey(address);
      const token = bearerToken(request.headers.authorization);
      if (!token || !sameSecret(token, this.config.adminKey)) {
        if (token) await this.authentication.recordFailure(address);
        throw new ApiError(
          'unauthenticated',
          'the admin key is required (Authorization: Bearer <NETPLAY_ADMIN_KEY>)',
        );
      }
      return true;
    }
    // The GraphQL HTTP gate authenticates before the body is parsed; one request, one lookup.
    request.caller ??= await this.authentication.authenticate(
      request.headers.authorization,
      address,
    );
    return true;
  }
}

/** Compares digests in constant time, so the comparison's duration says nothing about the key. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
