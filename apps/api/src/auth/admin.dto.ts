import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';

export class CreateTenantBody {
  @ApiProperty({ example: 'Acme training', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class CreateApiKeyBody {
  @ApiPropertyOptional({ example: 'ci', minLength: 1, maxLength: 200, default: 'default' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class TenantView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Acme training' }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: 'ci' }) name!: string;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart' })
  prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The key itself: shown this once, only its sha256 is stored' })
  key!: string;
}

/** Largest budget the operator may give a tenant: a million runs a minute. */
export const MAX_TENANT_POINTS_PER_MINUTE = 5_000_000;

export class TenantRateLimitBody {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_TENANT_POINTS_PER_MINUTE,
    example: 60_000,
    description:
      "Cost points a minute (a run costs 5, a sandbox write 10, a read 1); null: the deployment's NETPLAY_RATE_LIMIT_PER_MINUTE",
  })
  @ValidateIf((_body, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_TENANT_POINTS_PER_MINUTE)
  perMinute!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_TENANT_POINTS_PER_MINUTE,
    example: null,
    description:
      "Largest burst of cost points; null: the tenant's points a minute, or the deployment's NETPLAY_RATE_LIMIT_BURST when perMinute is null too",
  })
  @ValidateIf((_body, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_TENANT_POINTS_PER_MINUTE)
  burst!: number | null;
}

export class EffectiveRateLimitView {
  @ApiProperty({ type: 'integer', example: 60_000 }) perMinute!: number;
  @ApiProperty({ type: 'integer', example: 60_000 }) burst!: number;
}

export class TenantRateLimitView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The tenant's own; null: the deployment's",
  })
  perMinute!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The tenant's own; null: the default",
  })
  burst!: number | null;
  @ApiProperty({
    type: EffectiveRateLimitView,
    description: 'The budget its requests are metered by',
  })
  effective!: EffectiveRateLimitView;
}
