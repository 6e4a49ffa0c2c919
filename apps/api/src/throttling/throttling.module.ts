// Rate limits (work per tenant, failed authentications per address), shared by every module.
import { Global, Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitsService } from './rate-limits.service';
import { TenantRateLimits } from './tenant-rate-limits';

@Global()
@Module({
  providers: [RateLimitsService, RateLimitGuard, TenantRateLimits],
  exports: [RateLimitsService, RateLimitGuard, TenantRateLimits],
})
export class ThrottlingModule {}
