import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import {
  DEFAULT_LEARNER_SESSION_TTL_SECONDS,
  MAX_LEARNER_SESSION_TTL_SECONDS,
  MIN_LEARNER_SESSION_TTL_SECONDS,
} from './learner-session-limits';

export class CreateLearnerSessionBody {
  @ApiProperty({
    example: 'lms-user-4711',
    minLength: 1,
    maxLength: 200,
    description: "The platform's opaque id of the learner (never a name or an e-mail address)",
  })
  @IsString()
  @Length(1, 200)
  learnerRef!: string;

  @ApiPropertyOptional({ description: 'The exercise the page opens at' })
  @IsOptional()
  @IsUUID()
  exerciseId?: string;

  @ApiPropertyOptional({ description: "The sandbox the page opens at (one of the learner's own)" })
  @IsOptional()
  @IsUUID()
  sandboxId?: string;

  @ApiPropertyOptional({
    description: 'Seconds until the token expires',
    minimum: MIN_LEARNER_SESSION_TTL_SECONDS,
    maximum: MAX_LEARNER_SESSION_TTL_SECONDS,
    default: DEFAULT_LEARNER_SESSION_TTL_SECONDS,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_LEARNER_SESSION_TTL_SECONDS)
  @Max(MAX_LEARNER_SESSION_TTL_SECONDS)
  ttl?: number;

  @ApiPropertyOptional({
    enum: ['learner', 'instructor'],
    default: 'learner',
    description: "An instructor also reads every learner's submissions",
  })
  @IsOptional()
  @IsIn(['learner', 'instructor'])
  role?: 'learner' | 'instructor';
}

export class LearnerSessionView {
  @ApiProperty() id!: string;
  @ApiProperty() learnerRef!: string;
  @ApiProperty({ enum: ['learner', 'instructor'] }) role!: string;
  @ApiProperty({ nullable: true, type: String }) exerciseId!: string | null;
  @ApiProperty({ nullable: true, type: String }) sandboxId!: string | null;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CreatedLearnerSessionView {
  @ApiProperty({
    description: 'The bearer token (`nls_…`): shown this once, only its sha256 is stored',
  })
  token!: string;
  @ApiProperty({
    description:
      'Path of the page for the learner, relative to the API origin, with the token in the fragment',
    example: '/exercises/6f1c…#token=nls_…',
  })
  url!: string;
  @ApiProperty({
    description:
      'The same page without chrome, for an iframe (the tenant’s embed origins may frame it)',
    example: '/embed/<tenant id>/exercises/6f1c…#token=nls_…',
  })
  embedUrl!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: LearnerSessionView }) session!: LearnerSessionView;
}
