// GraphQL for exercises and submissions: the same ExercisesService methods as the REST controller.
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { ApiError } from '../errors/api-error';
import {
  ExercisesService,
  type ExerciseView,
  type LearnerScores as LearnerScoresView,
  type SubmissionView,
} from '../exercises/exercises.service';
import {
  ExerciseResultsService,
  type ExerciseResultsView,
} from '../exercises/exercise-results.service';
import { connectionCost, pageSizeArg, toConnection, type Connection } from './connection';
import {
  Exercise,
  ExerciseConnection,
  ExerciseResults,
  LearnerScores,
  Submission,
  SubmissionModeEnum,
  SubmissionViewEnum,
} from './exercise.model';
import { SubmissionLtiInput } from './lti.model';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

/** Large enough for an exercise with its starting manifests and reference solution (as REST). */
const MAX_YAML_LENGTH = 512 * 1024;

@Resolver(() => Exercise)
export class ExercisesResolver {
  constructor(
    private readonly exerciseService: ExercisesService,
    private readonly resultsService: ExerciseResultsService,
  ) {}

  @LearnerAllowed()
  @Query(() => ExerciseResults, {
    description:
      "One page of the learners' results of an exercise by learner reference, the LTI course's learners merged in (instructor sessions and tenant keys; learners are refused). `after` takes the previous page's nextCursor.",
    complexity: connectionCost,
  })
  exerciseResults(
    @Caller() caller: CallerIdentity,
    @Args('exerciseId', { type: () => ID }) exerciseId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<ExerciseResultsView> {
    return this.resultsService.results(caller, exerciseId, {
      limit: pageSizeArg(first),
      cursor: after ?? undefined,
    });
  }

  @LearnerAllowed()
  @Query(() => Exercise)
  exercise(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ExerciseView> {
    return this.exerciseService.get(caller, id);
  }

  @LearnerAllowed()
  @Query(() => ExerciseConnection, {
    description: 'Exercises, newest first',
    complexity: connectionCost,
  })
  async exercises(
    @Caller() caller: CallerIdentity,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<Connection<ExerciseView>> {
    const page = await this.exerciseService.list(caller, {
      limit: pageSizeArg(first),
      cursor: after ?? undefined,
      // GraphQL returns the fields a query selects; the YAML is read with the row anyway.
      includeYaml: true,
    });
    return toConnection(page as { items: ExerciseView[]; nextCursor?: string });
  }

  @LearnerAllowed()
  @Query(() => Submission)
  submission(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('view', {
      type: () => SubmissionViewEnum,
      nullable: true,
      defaultValue: SubmissionViewEnum.learner,
    })
    view: SubmissionViewEnum,
  ): Promise<SubmissionView> {
    return this.exerciseService.getSubmission(caller, id, view ?? SubmissionViewEnum.learner);
  }

  @LearnerAllowed()
  @Query(() => LearnerScores, {
    description: 'A learner’s best and latest submissions of an exercise',
  })
  learnerScores(
    @Caller() caller: CallerIdentity,
    @Args('exerciseId', { type: () => ID }) exerciseId: string,
    @Args('learnerRef') learnerRef: string,
    @Args('view', {
      type: () => SubmissionViewEnum,
      nullable: true,
      defaultValue: SubmissionViewEnum.learner,
    })
    view: SubmissionViewEnum,
  ): Promise<LearnerScoresView> {
    return this.exerciseService.scores(
      caller,
      exerciseId,
      learnerRef,
      view ?? SubmissionViewEnum.learner,
    );
  }

  @RateCost(RATE_COSTS.exerciseWrite)
  @Mutation(() => Exercise, {
    description: 'Publishes an Exercise document (validated: every check must be able to teach)',
  })
  createExercise(
    @Caller() caller: CallerIdentity,
    @Args('yaml', { description: 'The Exercise document as YAML' }) yaml: string,
  ): Promise<ExerciseView> {
    checkLength('yaml', yaml, 1, MAX_YAML_LENGTH);
    return this.exerciseService.create(caller.tenantId, yaml);
  }

  @RateCost(RATE_COSTS.exerciseWrite)
  @Mutation(() => Exercise, { description: 'A new version; metadata.name cannot change' })
  updateExercise(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('yaml') yaml: string,
  ): Promise<ExerciseView> {
    checkLength('yaml', yaml, 1, MAX_YAML_LENGTH);
    return this.exerciseService.update(caller.tenantId, id, yaml);
  }

  @Mutation(() => Boolean)
  async deleteExercise(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.exerciseService.remove(caller.tenantId, id);
    return true;
  }

  @RateCost(RATE_COSTS.submission)
  @LearnerAllowed()
  @Mutation(() => Submission, {
    description:
      'Queues the solution for grading; read it with submission(id) or receive submission.graded',
  })
  submitSolution(
    @Caller() caller: CallerIdentity,
    @Args('exerciseId', { type: () => ID }) exerciseId: string,
    @Args('learnerRef', { description: "The training platform's opaque id of the learner" })
    learnerRef: string,
    @Args('manifests', { description: 'Multi-document YAML' }) manifests: string,
    @Args('mode', { type: () => SubmissionModeEnum }) mode: SubmissionModeEnum,
    @Args('lti', { type: () => SubmissionLtiInput, nullable: true })
    lti?: SubmissionLtiInput | null,
  ): Promise<SubmissionView> {
    checkLength('learnerRef', learnerRef, 1, 200);
    checkLength('manifests', manifests, 0, MAX_YAML_LENGTH);
    if (lti) checkLength('lti.lineItemUrl', lti.lineItemUrl, 1, 2000);
    return this.exerciseService.submit(caller, exerciseId, {
      learnerRef,
      manifests,
      mode,
      ...(lti ? { lti: { ...lti } } : {}),
    });
  }
}

/** The REST bodies' length rules (exercise.dto.ts), for scalar arguments that have no input type. */
function checkLength(field: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max) {
    throw new ApiError('validation-failed', `${field} must be ${min} to ${max} characters long`, [
      { field, message: `must be ${min} to ${max} characters long` },
    ]);
  }
}
