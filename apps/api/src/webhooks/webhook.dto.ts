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
import { WEBHOOK_EVENT_TYPES } from '@netplay/webhooks';

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
