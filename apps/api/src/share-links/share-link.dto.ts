import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  DEFAULT_SHARE_LINK_TTL_SECONDS,
  MAX_SHARE_LINK_TTL_SECONDS,
  MIN_SHARE_LINK_TTL_SECONDS,
} from './share-link-limits';

export class CreateShareLinkBody {
  @ApiPropertyOptional({
    description: 'Seconds until the link stops working',
    minimum: MIN_SHARE_LINK_TTL_SECONDS,
    maximum: MAX_SHARE_LINK_TTL_SECONDS,
    default: DEFAULT_SHARE_LINK_TTL_SECONDS,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_SHARE_LINK_TTL_SECONDS)
  @Max(MAX_SHARE_LINK_TTL_SECONDS)
  ttl?: number;
}

export class CreatedShareLinkView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The read-only token (`nsh_…`): shown this once, stored hashed' })
  token!: string;
  @ApiProperty({
    description:
      'Path of the page at the revision, with the token in the fragment; add ?from=&to= for a probe',
    example: '/share/6f1c…/3#token=nsh_…',
  })
  url!: string;
  @ApiProperty() sandboxId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() expiresAt!: string;
}

export class SharedRevisionView {
  @ApiProperty() sandboxId!: string;
  @ApiProperty({ description: "The sandbox's name" }) name!: string;
  @ApiProperty() version!: number;
  @ApiProperty() manifests!: string;
  @ApiProperty({ type: Object }) clusterSettings!: unknown;
  @ApiProperty() createdAt!: string;
}
