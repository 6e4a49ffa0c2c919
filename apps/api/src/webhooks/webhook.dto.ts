// REST bodies for webhook endpoints (also what /v1/openapi.json describes).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PING_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '@netplay/webhooks';
import type {
  DeliveryView,
  PingView,
  TenantEventView,
  WebhookEndpointView,
} from './webhooks.service';

export class CreateWebhookEndpointBody {
  @ApiProperty({ example: 'https://lms.example.com/netplay/hooks', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes!: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class DeliveriesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class RedeliverBody {
  @ApiPropertyOptional({
    description: 'One endpoint; every endpoint subscribed to the event type when absent',
  })
  @IsOptional()
  @IsUUID()
  endpointId?: string;
}

// Answers, as /v1/openapi.json describes them; each implements the service's view.

export class WebhookEndpoint implements WebhookEndpointView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://lms.example.com/netplay/hooks' }) url!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes!: string[];
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  disabledAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) disabledReason!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) consecutiveFailures!: number;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Until then the previous secret signs too (after a rotation)',
  })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WebhookEndpointWithSecret extends WebhookEndpoint {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret, shown this once',
  })
  secret!: string;
}

export class WebhookEndpointPage {
  @ApiProperty({ type: [WebhookEndpoint] }) items!: WebhookEndpoint[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}

export class WebhookDelivery implements DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'The message (its webhook-id)' }) eventId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's HTTP status" })
  statusCode!: number | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) latencyMs!: number;
  @ApiProperty({ type: 'string', nullable: true, example: 'timeout' }) errorClass!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) responseExcerpt!: string | null;
  @ApiProperty({ description: 'A redelivery asked for over the API' }) manual!: boolean;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class WebhookDeliveryList {
  @ApiProperty({ type: [WebhookDelivery], description: 'Newest first' })
  items!: WebhookDelivery[];
}

export class RedeliveryView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: [String] }) endpointIds!: string[];
}

export class WebhookPing implements PingView {
  @ApiProperty({ format: 'uuid', description: 'The message id (webhook-id) of the ping' })
  eventId!: string;
  @ApiProperty({ format: 'uuid' }) endpointId!: string;
  @ApiProperty({ enum: [PING_EVENT_TYPE] }) type!: typeof PING_EVENT_TYPE;
}

export class TenantEvent implements TenantEventView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'endpoint.disabled' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TenantEventPage {
  @ApiProperty({ type: [TenantEvent] }) items!: TenantEvent[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}
