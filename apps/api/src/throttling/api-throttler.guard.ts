// Rate limits count per API key (a tenant with several keys gets a budget per key); requests
// without a key (health, admin, rejected ones) count per client address. Runs after AuthGuard,
// which has identified the caller by then.
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { requestOf, type AuthenticatedRequest } from '../auth/request-of';

@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AuthenticatedRequest;
    return request.caller ? `key:${request.caller.apiKeyId}` : `ip:${request.ip ?? 'unknown'}`;
  }

  protected override getRequestResponse(context: ExecutionContext): {
    req: Record<string, unknown>;
    res: Record<string, unknown>;
  } {
    const req = requestOf(context);
    const res = (req.res ?? {}) as unknown as Record<string, unknown>;
    return { req: req as unknown as Record<string, unknown>, res };
  }
}
