// Spends each request's cost (RateCost metadata; 1 when absent) from its tenant's budget, after
// AuthGuard has identified the caller; requests without a key spend from their address's budget.
// For GraphQL the guard runs once per root field, so aliases and mutations are paid one by one.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { clientAddressOf } from '../auth/api-key-authentication';
import { requestOf } from '../auth/request-of';
import { RATE_COST_METADATA, RATE_COSTS } from './rate-costs';
import { RateLimitsService } from './rate-limits.service';

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const cost =
      this.reflector.getAllAndOverride<number | undefined>(RATE_COST_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? RATE_COSTS.read;
    if (cost <= 0) return true;
    const request = requestOf(context);
    if (request.caller) await this.limits.spendTenantWork(request.caller.tenantId, cost);
    else await this.limits.spendAddressWork(clientAddressOf(request), cost);
    return true;
  }
}
