// GraphQL types of webhook endpoints, their delivery log and tenant events (code-first). Values come
// from WebhooksService's views; the signing secret only exists on the answers that created or rotated it.
import { Node } from './node.model';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { WEBHOOK_EVENT_TYPES } from '@netplay/webhooks';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { JsonScalar } from './json.scalar';

@ObjectType({ implements: () => [Node] })
export class WebhookEndpoint implements Node {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field() description!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field(() => String, { nullable: true }) disabledAt!: string | null;
  @Field(() => String, { nullable: true }) disabledReason!: string | null;
  @Field(() => Int) consecutiveFailures!: number;
  @Field(() => String, { nullable: true, description: 'Until then the previous secret signs too' })
  previousSecretExpiresAt!: string | null;
  @Field() createdAt!: string;
}

@ObjectType({
  description: 'An endpoint and its `whsec_` signing secret: shown in this answer only',
})
export class WebhookEndpointWithSecret extends WebhookEndpoint {
  @Field() secret!: string;
}

@ObjectType({ description: 'One delivery attempt' })
export class WebhookDelivery {
  @Field(() => ID) eventId!: string;
  @Field(() => Int) attempt!: number;
  @Field(() => Int, { nullable: true }) statusCode!: number | null;
  @Field(() => Int) latencyMs!: number;
  @Field(() => String, { nullable: true }) errorClass!: string | null;
  @Field(() => String, { nullable: true, description: 'At most 1 KiB of the response body' })
  responseExcerpt!: string | null;
  @Field({ description: 'A tenant asked for it (redelivery)' }) manual!: boolean;
  @Field() at!: string;
}

@ObjectType()
export class TenantEvent {
  @Field(() => ID) id!: string;
  @Field() type!: string;
  @Field(() => JsonScalar) data!: unknown;
  @Field() createdAt!: string;
}

@ObjectType()
export class Redelivery {
  @Field(() => ID) eventId!: string;
  @Field(() => [ID]) endpointIds!: string[];
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field()
  @IsString()
  @Length(1, 2000)
  url!: string;

  @Field(() => [String], { description: `Any of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes!: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
