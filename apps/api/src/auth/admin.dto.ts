import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

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
