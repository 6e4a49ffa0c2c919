// One guard for every route (registered globally): public routes pass, admin routes need the
// NETPLAY_ADMIN_KEY bootstrap key, all others a tenant's API key or a learner session's token as
// `Authorization: Bearer <token>`. A learner session passes only routes marked @LearnerAllowed();
// what it then sees is narrowed by the repositories (the caller's ownerRef). A share link's token
// passes only routes marked @ShareAllowed().
import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import {
  ACCESS_METADATA,
  LEARNER_ALLOWED_METADATA,
  SHARE_ALLOWED_METADATA,
  type AccessLevel,
} from './access.decorators';
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
  private readonly logger = new Logger('Auth');

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
    // A share token reads its revision only: every other route, tenant routes above all, refuses it.
    if (request.caller.share) {
      if (!this.marked(context, SHARE_ALLOWED_METADATA))
        throw new ApiError(
          'forbidden',
          'a share link only reads its revision (GET /v1/shared-revision)',
        );
      return true;
    }
    if (request.caller.learner && !this.marked(context, LEARNER_ALLOWED_METADATA))
      throw new ApiError(
        'forbidden',
        'a learner session may not use this operation; it needs a tenant API key',
      );
    // Who made the request, on the request's own log lines (the key itself is never logged).
    this.logger.debug(`tenant ${request.caller.tenantId}, API key ${request.caller.apiKeyId}`);
    return true;
  }

  private marked(context: ExecutionContext, metadata: string): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(metadata, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

/** Compares digests in constant time, so the comparison's duration says nothing about the key. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
