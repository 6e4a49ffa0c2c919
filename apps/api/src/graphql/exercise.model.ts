// GraphQL types of exercises and submissions (code-first). Values come from ExercisesService's views;
// a submission's grade result is JSON as REST returns it (the learner view unless `full` is asked for).
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from './json.scalar';
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

@ObjectType()
export class Exercise {
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

@ObjectType()
export class Submission {
  @Field(() => ID) id!: string;
  @Field(() => ID) exerciseId!: string;
  @Field() learnerRef!: string;
  @Field(() => SubmissionModeEnum) mode!: string;
  @Field({ description: 'queued, graded or failed' }) status!: string;
  @Field(() => Float, { nullable: true }) score!: number | null;
  @Field(() => Float, { nullable: true }) maxScore!: number | null;
  @Field(() => JsonScalar, {
    nullable: true,
    description: 'The grade: the learner view unless view: full was asked for',
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
