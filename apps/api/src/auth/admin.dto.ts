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
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedApiKeyView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart' })
  prefix!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'The key itself: shown this once, only its sha256 is stored' })
  key!: string;
}
