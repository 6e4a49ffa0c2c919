// GraphQL types of exercises and submissions (code-first). Values come from ExercisesService's views;
// a submission's grade result is JSON as REST returns it (the learner view unless `full` is asked for).
import { Node } from './node.model';
import { SubmissionGrade } from './trace.model';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from './page-info.model';
import { SubmissionLti } from './lti.model';

export enum SubmissionViewEnum {
  learner = 'learner',
  full = 'full',
}
registerEnumType(SubmissionViewEnum, {
  name: 'SubmissionView',
  description: 'learner: hidden checks reduced to counts; full: every check, for the platform',
});

export enum SubmissionModeEnum {
  full = 'full',
  patch = 'patch',
}
registerEnumType(SubmissionModeEnum, {
  name: 'SubmissionMode',
  description: 'full: every manifest; patch: changes to the starting manifests',
});

@ObjectType()
export class ExerciseCheck {
  @Field() id!: string;
  @Field() title!: string;
  @Field(() => Int) points!: number;
}

@ObjectType({ implements: () => [Node] })
export class Exercise implements Node {
  @Field(() => ID) id!: string;
  @Field({ description: 'metadata.name of the Exercise document' }) slug!: string;
  @Field() title!: string;
  @Field() instructions!: string;
  @Field({ description: 'The Exercise document as YAML' }) yaml!: string;
  @Field() validated!: boolean;
  @Field(() => [ExerciseCheck], {
    description: 'The visible checks (hidden ones are never listed)',
  })
  checks!: ExerciseCheck[];
  @Field() createdAt!: string;
  @Field() updatedAt!: string;
}

@ObjectType()
export class ExerciseEdge {
  @Field() cursor!: string;
  @Field(() => Exercise) node!: Exercise;
}

@ObjectType()
export class ExerciseConnection {
  @Field(() => [ExerciseEdge]) edges!: ExerciseEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ implements: () => [Node] })
export class Submission implements Node {
  @Field(() => ID) id!: string;
  @Field(() => ID) exerciseId!: string;
  @Field() learnerRef!: string;
  @Field(() => SubmissionModeEnum) mode!: string;
  @Field({ description: 'queued, graded or failed' }) status!: string;
  @Field(() => Float, { nullable: true }) score!: number | null;
  @Field(() => Float, { nullable: true }) maxScore!: number | null;
  @Field(() => SubmissionGrade, {
    nullable: true,
    description: 'The grade: the learner view unless view: full was asked for; null while queued',
  })
  result!: unknown;
  @Field(() => SubmissionLti, {
    nullable: true,
    description: 'The LTI score passback target and its status',
  })
  lti!: SubmissionLti | null;
  @Field() createdAt!: string;
}

@ObjectType()
export class LearnerScores {
  @Field(() => ID) exerciseId!: string;
  @Field() learnerRef!: string;
  @Field(() => Submission, { nullable: true }) best!: Submission | null;
  @Field(() => Submission, { nullable: true }) latest!: Submission | null;
}

@ObjectType({ description: "One learner's submissions of an exercise, and its course membership" })
export class LearnerResult {
  @Field() learnerRef!: string;
  @Field(() => String, { nullable: true, description: 'From the course roster (not stored)' })
  name!: string | null;
  @Field(() => String, { nullable: true, description: "A roster member's platform user id" })
  userId!: string | null;
  @Field(() => [String]) roles!: string[];
  @Field({ description: 'Listed by the course roster (LTI NRPS)' }) inRoster!: boolean;
  @Field(() => Int) attempts!: number;
  @Field(() => Float, { nullable: true }) bestScore!: number | null;
  @Field(() => Float, { nullable: true }) maxScore!: number | null;
  @Field() passed!: boolean;
  @Field(() => String, { nullable: true }) lastSubmittedAt!: string | null;
}

@ObjectType()
export class ResultsRoster {
  @Field({ description: 'merged, unavailable or none (no LTI launch granted the roster)' })
  status!: string;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field() truncated!: boolean;
}

@ObjectType({ description: 'Counts across every page of the results' })
export class ResultsSummary {
  @Field(() => Int, { description: "Those who submitted and the roster's other learners" })
  learners!: number;
  @Field(() => Int) attempted!: number;
  @Field(() => Int) passed!: number;
  @Field(() => Int, { description: 'Course members without a learner role, not listed' })
  instructors!: number;
}

@ObjectType({ description: "One page of the learners' results of an exercise (instructors)" })
export class ExerciseResults {
  @Field(() => ID) exerciseId!: string;
  @Field(() => Float) points!: number;
  @Field(() => [LearnerResult], { description: 'By learner reference' }) items!: LearnerResult[];
  @Field(() => String, { nullable: true, description: 'Absent on the last page' })
  nextCursor?: string;
  @Field(() => ResultsSummary) summary!: ResultsSummary;
  @Field(() => ResultsRoster) roster!: ResultsRoster;
}
