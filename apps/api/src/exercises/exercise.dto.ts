// REST bodies for exercises and submissions (also what /v1/openapi.json describes).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** Large enough for an exercise with its starting manifests and reference solution. */
const MAX_YAML_LENGTH = 512 * 1024;

export class ExerciseBody {
  @ApiProperty({ description: 'The Exercise document (apiVersion netplay.dev/v1alpha1, kind Exercise) as YAML; see docs/exercises.md' })
  @IsString()
  @Length(1, MAX_YAML_LENGTH)
  yaml!: string;
}

export class SubmissionBody {
  @ApiProperty({ description: "The training platform's opaque id of the learner", maxLength: 200 })
  @IsString()
  @Length(1, 200)
  learnerRef!: string;

  @ApiProperty({ description: 'Multi-document YAML: every manifest (full) or changes to the starting manifests (patch)' })
  @IsString()
  @MaxLength(MAX_YAML_LENGTH)
  manifests!: string;

  @ApiProperty({ enum: ['full', 'patch'] })
  @IsIn(['full', 'patch'])
  mode!: 'full' | 'patch';
}

export class SubmissionViewQuery {
  @ApiPropertyOptional({ enum: ['learner', 'full'], description: 'learner (default): hidden checks reduced to counts; full: every check, for the platform' })
  @IsOptional()
  @IsIn(['learner', 'full'])
  view?: 'learner' | 'full';
}
