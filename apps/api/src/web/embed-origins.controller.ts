import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorators';
import { ApiError } from '../errors/api-error';
import { isUuid } from '../errors/validation';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import { EmbedOriginsBody, EmbedOriginsView } from './embed-origins.dto';

/** The operator sets which origins may frame a tenant's embedded playground pages. */
@ApiTags('admin')
@ApiBearerAuth('admin-key')
@AdminOnly()
@Controller('admin/tenants/:id/embed-origins')
export class EmbedOriginsController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  @Get()
  @ApiOkResponse({ type: EmbedOriginsView })
  async get(@Param('id') tenantId: string): Promise<EmbedOriginsView> {
    await this.requireTenant(tenantId);
    return { tenantId, origins: await this.infra.tenants.embedOrigins(tenantId) };
  }

  @Put()
  @ApiOkResponse({ type: EmbedOriginsView })
  async set(
    @Param('id') tenantId: string,
    @Body() body: EmbedOriginsBody,
  ): Promise<EmbedOriginsView> {
    await this.requireTenant(tenantId);
    const origins = [...new Set(body.origins.map((o) => o.toLowerCase()))];
    await this.infra.tenants.setEmbedOrigins(tenantId, origins);
    return { tenantId, origins };
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if (!isUuid(tenantId) || !(await this.infra.tenants.get(tenantId)))
      throw new ApiError('not-found', `tenant ${tenantId} not found`);
  }
}
