import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorators';
import { ApiError } from '../errors/api-error';
import { isUuid } from '@netplay/contracts';
import { TenantRepository } from '@netplay/db';
import { EmbedOriginsBody, EmbedOriginsView } from './embed-origins.dto';

/** The operator sets which origins may frame a tenant's embedded playground pages. */
@ApiTags('admin')
@ApiBearerAuth('admin-key')
@AdminOnly()
@Controller('admin/tenants/:id/embed-origins')
export class EmbedOriginsController {
  constructor(private readonly tenants: TenantRepository) {}

  @Get()
  @ApiOperation({ summary: 'The origins allowed to embed the playground for a tenant' })
  @ApiOkResponse({ type: EmbedOriginsView })
  async getEmbedOrigins(@Param('id') tenantId: string): Promise<EmbedOriginsView> {
    await this.requireTenant(tenantId);
    return { tenantId, origins: await this.tenants.embedOrigins(tenantId) };
  }

  @Put()
  @ApiOperation({ summary: 'Replace the origins allowed to embed the playground for a tenant' })
  @ApiOkResponse({ type: EmbedOriginsView })
  async setEmbedOrigins(
    @Param('id') tenantId: string,
    @Body() body: EmbedOriginsBody,
  ): Promise<EmbedOriginsView> {
    await this.requireTenant(tenantId);
    const origins = [...new Set(body.origins.map((o) => o.toLowerCase()))];
    await this.tenants.setEmbedOrigins(tenantId, origins);
    return { tenantId, origins };
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if (!isUuid(tenantId) || !(await this.tenants.get(tenantId)))
      throw new ApiError('not-found', `tenant ${tenantId} not found`);
  }
}
