import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';

/** A web origin as browsers send it: scheme, host and optional port; no path, no wildcard. */
export const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
export const MAX_EMBED_ORIGINS = 20;

export class EmbedOriginsBody {
  @ApiProperty({
    type: [String],
    example: ['https://lms.example.edu'],
    description: `Origins allowed to frame /embed pages (at most ${MAX_EMBED_ORIGINS}); [] allows only the service's own`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_EMBED_ORIGINS)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  @Matches(ORIGIN_PATTERN, {
    each: true,
    message: 'each origin must be scheme://host[:port], e.g. https://lms.example.edu',
  })
  origins!: string[];
}

export class EmbedOriginsView {
  @ApiProperty() tenantId!: string;
  @ApiProperty({ type: [String] }) origins!: string[];
}
