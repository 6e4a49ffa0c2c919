// Rate limits (work per tenant, failed authentications per address), shared by every module.
import { Global, Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitsService } from './rate-limits.service';

@Global()
@Module({
  providers: [RateLimitsService, RateLimitGuard],
  exports: [RateLimitsService, RateLimitGuard],
})
export class ThrottlingModule {}
