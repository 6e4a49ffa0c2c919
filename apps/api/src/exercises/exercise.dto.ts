// REST bodies for exercises and submissions (also what /v1/openapi.json describes).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { SubmissionLtiBody } from '../lti/lti.dto';
import { PageQuery } from '../paging/page-query.dto';

/** Large enough for an exercise with its starting manifests and reference solution. */
const MAX_YAML_LENGTH = 512 * 1024;

export class ExerciseBody {
  @ApiProperty({
    description:
      'The Exercise document (apiVersion netplay.dev/v1alpha1, kind Exercise) as YAML; see docs/exercises.md',
  })
  @IsString()
  @Length(1, MAX_YAML_LENGTH)
  yaml!: string;
}

export class ListExercisesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['yaml'], description: 'Items carry their YAML too' })
  @IsOptional()
  @Matches(/^yaml$/, { message: 'include must be yaml' })
  include?: 'yaml';
}

export class SubmissionBody {
  @ApiProperty({ description: "The training platform's opaque id of the learner", maxLength: 200 })
  @IsString()
  @Length(1, 200)
  learnerRef!: string;

  @ApiProperty({
    description:
      'Multi-document YAML: every manifest (full) or changes to the starting manifests (patch)',
  })
  @IsString()
  @MaxLength(MAX_YAML_LENGTH)
  manifests!: string;

  @ApiProperty({ enum: ['full', 'patch'] })
  @IsIn(['full', 'patch'])
  mode!: 'full' | 'patch';

  @ApiPropertyOptional({
    type: SubmissionLtiBody,
    description: 'From an LTI 1.3 launch: the graded score is passed back to this line item',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubmissionLtiBody)
  lti?: SubmissionLtiBody;
}

export class SubmissionViewQuery {
  @ApiPropertyOptional({
    enum: ['learner', 'full'],
    description:
      'learner (default): hidden checks reduced to counts; full: every check, for the platform',
  })
  @IsOptional()
  @IsIn(['learner', 'full'])
  view?: 'learner' | 'full';
}
