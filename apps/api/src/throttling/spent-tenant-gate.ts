// Express middleware before the body parsers: a request whose tenant this process has just refused
// for its work budget, and which carries a body worth reading, is answered 429 before its body is
// read and parsed. A tenant past its budget would otherwise still make the process read, parse and
// hold every large body it sends, only to refuse it afterwards. Small requests take the usual path
// (the guard asks the shared budget), so one that fits what is left still passes.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyAuthentication } from '../auth/api-key-authentication';
import type { AuthenticatedRequest } from '../auth/request-of';
import { rateLimited } from '../errors/api-error';
import type { RateLimitsService } from './rate-limits.service';

/** Bodies up to this size are read as usual whatever the tenant's budget. */
export const SPENT_TENANT_BODY_THRESHOLD = 16 * 1024;

export interface SpentTenantGateOptions {
  authentication: Pick<ApiKeyAuthentication, 'cachedTenantOf'>;
  limits: Pick<RateLimitsService, 'tenantBlockedMs'>;
}

export function spentTenantGate(options: SpentTenantGateOptions): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    if (!(Number(request.headers['content-length'] ?? 0) > SPENT_TENANT_BODY_THRESHOLD))
      return next();
    const tenantId =
      (request as AuthenticatedRequest).caller?.tenantId ??
      options.authentication.cachedTenantOf(request.headers.authorization);
    const blockedMs = tenantId === undefined ? 0 : options.limits.tenantBlockedMs(tenantId);
    if (blockedMs <= 0) return next();
    next(
      rateLimited(
        'the rate limit is spent: too much work too fast; retry after the Retry-After seconds (the body was not read)',
        Math.max(1, Math.ceil(blockedMs / 1000)),
      ),
    );
  };
}
