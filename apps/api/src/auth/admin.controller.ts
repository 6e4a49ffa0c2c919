import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from './access.decorators';
import {
  CreateApiKeyBody,
  CreatedApiKeyView,
  CreateTenantBody,
  TenantRateLimitBody,
  TenantRateLimitView,
  TenantView,
} from './admin.dto';
import { AdminService } from './admin.service';
import { Unmetered } from '../throttling/rate-costs';

@ApiTags('admin')
@ApiBearerAuth('admin-key')
@AdminOnly()
// The operator's key: wrong ones are limited as failed authentications, right ones are not metered.
@Unmetered()
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('tenants')
  @ApiOperation({ summary: 'Create a tenant' })
  @ApiCreatedResponse({ type: TenantView })
  createTenant(@Body() body: CreateTenantBody): Promise<TenantView> {
    return this.admin.createTenant(body.name);
  }

  @Post('tenants/:id/api-keys')
  @ApiOperation({ summary: 'Issue an API key for a tenant' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  createApiKey(
    @Param('id') tenantId: string,
    @Body() body: CreateApiKeyBody,
  ): Promise<CreatedApiKeyView> {
    return this.admin.createApiKey(tenantId, body.name);
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revokeApiKey(@Param('id') id: string): Promise<void> {
    return this.admin.revokeApiKey(id);
  }

  @Get('tenants/:id/rate-limit')
  @ApiOperation({ summary: "Read a tenant's work budget" })
  @ApiOkResponse({ type: TenantRateLimitView })
  getTenantRateLimit(@Param('id') tenantId: string): Promise<TenantRateLimitView> {
    return this.admin.rateLimit(tenantId);
  }

  @Put('tenants/:id/rate-limit')
  @ApiOperation({
    summary: "Set a tenant's work budget",
    description:
      "Replaces the tenant's own budget (null fields: the deployment's). This API process applies it at once, others within NETPLAY_API_KEY_CACHE_TTL_MS.",
  })
  @ApiOkResponse({ type: TenantRateLimitView })
  setTenantRateLimit(
    @Param('id') tenantId: string,
    @Body() body: TenantRateLimitBody,
  ): Promise<TenantRateLimitView> {
    return this.admin.setRateLimit(tenantId, { perMinute: body.perMinute, burst: body.burst });
  }
}
