import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/error-responses';
import type { Response } from 'express';
import { Caller } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import type { Page } from '@netplay/db';
import { PageQuery } from '../paging/page-query.dto';
import {
  CreateWebhookEndpointBody,
  DeliveriesQuery,
  RedeliverBody,
  RedeliveryView,
  TenantEventPage,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointPage,
  WebhookEndpointWithSecret,
  WebhookPing,
} from './webhook.dto';
import {
  WebhooksService,
  type DeliveryView,
  type PingView,
  type TenantEventView,
  type WebhookEndpointView,
} from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth('api-key')
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhook-endpoints')
  @ApiOperation({ summary: 'Subscribe an HTTPS endpoint to webhook events' })
  @ApiCreatedResponse({
    type: WebhookEndpointWithSecret,
    description: 'The endpoint and its `whsec_` signing secret, shown this once',
  })
  @ApiErrors(422)
  async createWebhookEndpoint(
    @Caller() caller: CallerIdentity,
    @Body() body: CreateWebhookEndpointBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WebhookEndpointView & { secret: string }> {
    const endpoint = await this.webhooks.create(caller.tenantId, body);
    response.setHeader('Location', `/v1/webhook-endpoints/${endpoint.id}`);
    return endpoint;
  }

  @Get('webhook-endpoints')
  @ApiOperation({ summary: "List the tenant's webhook endpoints, newest first" })
  @ApiOkResponse({ type: WebhookEndpointPage })
  listWebhookEndpoints(
    @Caller() caller: CallerIdentity,
    @Query() query: PageQuery,
  ): Promise<Page<WebhookEndpointView>> {
    return this.webhooks.list(caller.tenantId, query);
  }

  @Get('webhook-endpoints/:id')
  @ApiOperation({ summary: 'Read a webhook endpoint' })
  @ApiOkResponse({ type: WebhookEndpoint })
  getWebhookEndpoint(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.get(caller.tenantId, id);
  }

  @Delete('webhook-endpoints/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint' })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteWebhookEndpoint(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(caller.tenantId, id);
  }

  @Post('webhook-endpoints/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the signing secret',
    description: 'The previous secret keeps signing beside the new one for 24 hours.',
  })
  @ApiOkResponse({ type: WebhookEndpointWithSecret })
  rotateWebhookSecret(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
  ): Promise<WebhookEndpointView & { secret: string }> {
    return this.webhooks.rotateSecret(caller.tenantId, id);
  }

  @Get('webhook-endpoints/:id/deliveries')
  @ApiOperation({ summary: "An endpoint's latest delivery attempts, newest first" })
  @ApiOkResponse({ type: WebhookDeliveryList })
  listWebhookDeliveries(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<{ items: DeliveryView[] }> {
    return this.webhooks.deliveries(caller.tenantId, id, query.limit);
  }

  @Post('webhook-endpoints/:id/ping')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a signed test event (endpoint.ping) to an endpoint',
    description:
      'Delivered, signed and retried like any event, whatever the endpoint subscribes to; its attempts appear in the deliveries.',
  })
  @ApiAcceptedResponse({ type: WebhookPing })
  @ApiErrors(409)
  pingWebhookEndpoint(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
  ): Promise<PingView> {
    return this.webhooks.ping(caller.tenantId, id);
  }

  @Post('webhook-events/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver an event again' })
  @ApiAcceptedResponse({
    type: RedeliveryView,
    description: 'One more attempt is scheduled, with the same webhook-id and body',
  })
  redeliverWebhookEvent(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: RedeliverBody,
  ): Promise<{ eventId: string; endpointIds: string[] }> {
    return this.webhooks.redeliver(caller.tenantId, id, body.endpointId);
  }

  @Get('tenant-events')
  @ApiOperation({ summary: "The tenant's own events (endpoint.disabled, …), newest first" })
  @ApiOkResponse({ type: TenantEventPage })
  listTenantEvents(
    @Caller() caller: CallerIdentity,
    @Query() query: PageQuery,
  ): Promise<Page<TenantEventView>> {
    return this.webhooks.tenantEvents(caller.tenantId, query);
  }
}
