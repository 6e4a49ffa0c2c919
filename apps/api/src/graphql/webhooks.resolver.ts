// GraphQL for webhook endpoints, deliveries, redelivery and tenant events: the same WebhooksService
// methods as the REST controller.
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { pageSizeArg } from './connection';
import {
  WebhooksService,
  type DeliveryView,
  type TenantEventView,
  type WebhookEndpointView,
} from '../webhooks/webhooks.service';
import {
  CreateWebhookEndpointInput,
  Redelivery,
  TenantEvent,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from './webhook.model';

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly webhookService: WebhooksService) {}

  @Query(() => [WebhookEndpoint], {
    description: 'The newest endpoints (REST pages through all of them with cursors)',
  })
  async webhookEndpoints(
    @Caller() caller: CallerIdentity,
    @Args('first', { type: () => Int, nullable: true, description: '1-100, default 20' })
    first?: number,
  ): Promise<WebhookEndpointView[]> {
    return (await this.webhookService.list(caller.tenantId, { limit: pageSizeArg(first) })).items;
  }

  @Query(() => [WebhookDelivery], { description: 'The endpoint’s latest attempts, newest first' })
  async webhookDeliveries(
    @Caller() caller: CallerIdentity,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('first', { type: () => Int, nullable: true, description: '1-100, default 50' })
    first?: number,
  ): Promise<DeliveryView[]> {
    return (await this.webhookService.deliveries(caller.tenantId, endpointId, pageSizeArg(first)))
      .items;
  }

  @Query(() => [TenantEvent], {
    description: 'Events about the tenant’s account (endpoint.disabled), newest first',
  })
  async tenantEvents(
    @Caller() caller: CallerIdentity,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<TenantEventView[]> {
    return (await this.webhookService.tenantEvents(caller.tenantId, { limit: pageSizeArg(first) }))
      .items;
  }

  @Mutation(() => WebhookEndpointWithSecret)
  createWebhookEndpoint(
    @Caller() caller: CallerIdentity,
    @Args('input') input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    return this.webhookService.create(caller.tenantId, input);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new secret; the previous one keeps signing for an overlap',
  })
  rotateWebhookSecret(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WebhookEndpointWithSecret> {
    return this.webhookService.rotateSecret(caller.tenantId, id);
  }

  @Mutation(() => Boolean)
  async deleteWebhookEndpoint(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.webhookService.remove(caller.tenantId, id);
    return true;
  }

  @Mutation(() => Redelivery, {
    description:
      'One more attempt with the same webhook-id and body; to every subscribed endpoint when endpointId is absent',
  })
  redeliverWebhookEvent(
    @Caller() caller: CallerIdentity,
    @Args('eventId', { type: () => ID }) eventId: string,
    @Args('endpointId', { type: () => ID, nullable: true }) endpointId?: string,
  ): Promise<Redelivery> {
    return this.webhookService.redeliver(caller.tenantId, eventId, endpointId ?? undefined);
  }
}

/** `first` of a log: 1-100, like REST's `limit`. */
