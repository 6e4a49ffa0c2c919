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
import { componentRef } from '../openapi/trace-components';
import { PageQuery } from '../paging/page-query.dto';
import type {
  ExerciseListItem as ExerciseListItemView,
  ExerciseView,
  LearnerScores,
  SubmissionView,
} from './exercises.service';
import type {
  ExerciseResultsView,
  LearnerResultView,
  ResultsSummary as ResultsSummaryView,
  RosterStatus,
} from './exercise-results.service';

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

// Answers, as /v1/openapi.json describes them; each implements the service's view, so the two
// cannot drift apart silently.

export class ExerciseCheckSummary {
  @ApiProperty({ example: 'client-reaches-website' }) id!: string;
  @ApiProperty({ example: 'The client reaches the website' }) title!: string;
  @ApiProperty({ type: 'number', minimum: 0, example: 10 }) points!: number;
}

export class ExerciseListItem implements ExerciseListItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'allow-website', description: "The Exercise's metadata.name" })
  slug!: string;
  @ApiProperty({ example: 'Let the client reach the website' }) title!: string;
  @ApiProperty({ description: 'Markdown shown to the learner' }) instructions!: string;
  @ApiPropertyOptional({ description: 'The Exercise document (in lists only with include=yaml)' })
  yaml?: string;
  @ApiProperty({ description: 'The reference solution passed every check when it was published' })
  validated!: boolean;
  @ApiProperty({ type: [ExerciseCheckSummary], description: 'Visible and hidden checks' })
  checks!: ExerciseCheckSummary[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class Exercise extends ExerciseListItem implements ExerciseView {
  @ApiProperty({ description: 'The Exercise document as YAML' }) declare yaml: string;
}

export class ExercisePage {
  @ApiProperty({ type: [ExerciseListItem] }) items!: ExerciseListItem[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}

export class SubmissionLti {
  @ApiProperty({ format: 'uuid' }) platformId!: string;
  @ApiProperty() lineItemUrl!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed'], description: 'How the score passback went' })
  status!: string;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
}

export class Submission implements SubmissionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) exerciseId!: string;
  @ApiProperty({ example: 'learner-42' }) learnerRef!: string;
  @ApiProperty({ enum: ['full', 'patch'] }) mode!: SubmissionView['mode'];
  @ApiProperty({ enum: ['queued', 'graded', 'failed'], enumName: 'SubmissionStatus' })
  status!: SubmissionView['status'];
  @ApiProperty({ type: 'number', nullable: true }) score!: number | null;
  @ApiProperty({ type: 'number', nullable: true }) maxScore!: number | null;
  @ApiProperty({
    description: 'Null while queued; then the grade, or only `error` when grading failed',
    oneOf: [componentRef('SubmissionGrade'), { type: 'null' }],
  })
  result!: SubmissionView['result'];
  @ApiProperty({ type: SubmissionLti, nullable: true }) lti!: SubmissionLti | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LearnerScoresView implements LearnerScores {
  @ApiProperty({ format: 'uuid' }) exerciseId!: string;
  @ApiProperty() learnerRef!: string;
  @ApiProperty({ type: Submission, nullable: true, description: 'The best graded submission' })
  best!: Submission | null;
  @ApiProperty({ type: Submission, nullable: true, description: 'The latest submission' })
  latest!: Submission | null;
}

export class LearnerResult implements LearnerResultView {
  @ApiProperty({ description: "The learner's reference (an LTI member's is lti:<platform>:<sub>)" })
  learnerRef!: string;
  @ApiProperty({ type: String, nullable: true, description: 'From the course roster (not stored)' })
  name!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "A roster member's platform user id" })
  userId!: string | null;
  @ApiProperty({ type: [String], description: "A roster member's LIS roles" })
  roles!: string[];
  @ApiProperty({ description: 'Listed by the course roster (LTI NRPS)' })
  inRoster!: boolean;
  @ApiProperty({ description: 'Submissions made' }) attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The highest graded score' })
  bestScore!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxScore!: number | null;
  @ApiProperty({ description: 'A graded submission passed every check' }) passed!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSubmittedAt!: string | null;
}

export class ResultsRoster {
  @ApiProperty({
    enum: ['merged', 'unavailable', 'none'],
    description:
      'merged: the course members are in items; unavailable: the platform could not be read; none: no LTI launch of the exercise granted the roster',
  })
  status!: RosterStatus;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
  @ApiProperty({ description: 'The platform had more members than netplay reads' })
  truncated!: boolean;
}

export class ResultsSummary implements ResultsSummaryView {
  @ApiProperty({
    description: "Learners across every page: those who submitted and the roster's other learners",
  })
  learners!: number;
  @ApiProperty({ description: 'Learners who submitted at least once' }) attempted!: number;
  @ApiProperty({ description: 'Learners with a graded submission that passed' }) passed!: number;
  @ApiProperty({
    description: 'Course members without a learner role (instructors, assistants), not listed',
  })
  instructors!: number;
}

export class ExerciseResults implements ExerciseResultsView {
  @ApiProperty({ format: 'uuid' }) exerciseId!: string;
  @ApiProperty({ description: "The exercise's points (the sum of its checks')" }) points!: number;
  @ApiProperty({
    type: [LearnerResult],
    description:
      "One page of learners by learner reference: those who submitted and the roster's learners who did not",
  })
  items!: LearnerResult[];
  @ApiPropertyOptional({ description: 'Pass as cursor for the next page; absent on the last' })
  nextCursor?: string;
  @ApiProperty({ type: ResultsSummary }) summary!: ResultsSummary;
  @ApiProperty({ type: ResultsRoster }) roster!: ResultsRoster;
}
