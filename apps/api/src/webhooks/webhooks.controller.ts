import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import type { Page } from '@netplay/db';
import { PageQuery } from '../paging/page-query.dto';
import { CreateWebhookEndpointBody, DeliveriesQuery, RedeliverBody } from './webhook.dto';
import {
  WebhooksService,
  type DeliveryView,
  type TenantEventView,
  type WebhookEndpointView,
} from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth('api-key')
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhook-endpoints')
  @ApiCreatedResponse({
    description: 'The endpoint and its `whsec_` signing secret, shown this once',
  })
  async create(
    @Caller() caller: CallerIdentity,
    @Body() body: CreateWebhookEndpointBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WebhookEndpointView & { secret: string }> {
    const endpoint = await this.webhooks.create(caller.tenantId, body);
    response.setHeader('Location', `/v1/webhook-endpoints/${endpoint.id}`);
    return endpoint;
  }

  @Get('webhook-endpoints')
  list(
    @Caller() caller: CallerIdentity,
    @Query() query: PageQuery,
  ): Promise<Page<WebhookEndpointView>> {
    return this.webhooks.list(caller.tenantId, query);
  }

  @Get('webhook-endpoints/:id')
  get(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<WebhookEndpointView> {
    return this.webhooks.get(caller.tenantId, id);
  }

  @Delete('webhook-endpoints/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(caller.tenantId, id);
  }

  @Post('webhook-endpoints/:id/rotate-secret')
  @HttpCode(200)
  rotateSecret(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
  ): Promise<WebhookEndpointView & { secret: string }> {
    return this.webhooks.rotateSecret(caller.tenantId, id);
  }

  @Get('webhook-endpoints/:id/deliveries')
  deliveries(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<{ items: DeliveryView[] }> {
    return this.webhooks.deliveries(caller.tenantId, id, query.limit);
  }

  @Post('webhook-events/:id/redeliver')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'One more attempt is scheduled, with the same webhook-id and body',
  })
  redeliver(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: RedeliverBody,
  ): Promise<{ eventId: string; endpointIds: string[] }> {
    return this.webhooks.redeliver(caller.tenantId, id, body.endpointId);
  }

  @Get('tenant-events')
  tenantEvents(
    @Caller() caller: CallerIdentity,
    @Query() query: PageQuery,
  ): Promise<Page<TenantEventView>> {
    return this.webhooks.tenantEvents(caller.tenantId, query);
  }
}
