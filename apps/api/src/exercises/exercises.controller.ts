import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/error-responses';
import type { Response } from 'express';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import {
  Exercise,
  ExerciseBody,
  ExerciseResults,
  ExercisePage as ExercisePageView,
  LearnerScoresView,
  ListExercisesQuery,
  Submission,
  SubmissionBody,
  SubmissionViewQuery,
} from './exercise.dto';
import {
  ExercisesService,
  type ExercisePage,
  type ExerciseView,
  type LearnerScores,
  type SubmissionView,
} from './exercises.service';
import { PageQuery } from '../paging/page-query.dto';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';
import { ExerciseResultsService, type ExerciseResultsView } from './exercise-results.service';

@ApiTags('exercises')
@ApiBearerAuth('api-key')
@Controller()
export class ExercisesController {
  constructor(
    private readonly exercises: ExercisesService,
    private readonly results: ExerciseResultsService,
  ) {}

  @RateCost(RATE_COSTS.exerciseWrite)
  @Post('exercises')
  @ApiOperation({
    summary: 'Publish an exercise',
    description:
      'Its reference solution is graded first: an exercise whose solution fails is a 422.',
  })
  @ApiCreatedResponse({ type: Exercise, description: 'Location: /v1/exercises/{id}' })
  @ApiErrors(409, 422)
  async createExercise(
    @Caller() caller: CallerIdentity,
    @Body() body: ExerciseBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ExerciseView> {
    const exercise = await this.exercises.create(caller.tenantId, body.yaml);
    response.setHeader('Location', `/v1/exercises/${exercise.id}`);
    return exercise;
  }

  @LearnerAllowed()
  @Get('exercises')
  @ApiOperation({ summary: "List the tenant's exercises, newest first" })
  @ApiOkResponse({ type: ExercisePageView })
  listExercises(
    @Caller() caller: CallerIdentity,
    @Query() query: ListExercisesQuery,
  ): Promise<ExercisePage> {
    const { include, ...page } = query;
    return this.exercises.list(caller, { ...page, includeYaml: include === 'yaml' });
  }

  @LearnerAllowed()
  @Get('exercises/:id')
  @ApiOperation({ summary: 'Read an exercise' })
  @ApiOkResponse({ type: Exercise })
  getExercise(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<ExerciseView> {
    return this.exercises.get(caller, id);
  }

  @RateCost(RATE_COSTS.exerciseWrite)
  @Patch('exercises/:id')
  @ApiOperation({ summary: 'Replace an exercise with a new version of its document' })
  @ApiOkResponse({ type: Exercise })
  @ApiErrors(409, 422)
  updateExercise(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: ExerciseBody,
  ): Promise<ExerciseView> {
    return this.exercises.update(caller.tenantId, id, body.yaml);
  }

  @Delete('exercises/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an exercise' })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteExercise(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.exercises.remove(caller.tenantId, id);
  }

  @RateCost(RATE_COSTS.submission)
  @LearnerAllowed()
  @Post('exercises/:id/submissions')
  @HttpCode(202)
  @ApiOperation({ summary: "Submit a learner's manifests for grading" })
  @ApiAcceptedResponse({
    type: Submission,
    description: 'Queued for grading; poll the Location or receive the submission.graded webhook',
  })
  @ApiErrors(422)
  async createSubmission(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: SubmissionBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmissionView> {
    const submission = await this.exercises.submit(caller, id, body);
    response.setHeader('Location', `/v1/submissions/${submission.id}`);
    return submission;
  }

  @LearnerAllowed()
  @Get('submissions/:id')
  @ApiOperation({ summary: 'Read a submission and its grade' })
  @ApiOkResponse({ type: Submission })
  getSubmission(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: SubmissionViewQuery,
  ): Promise<SubmissionView> {
    return this.exercises.getSubmission(caller, id, query.view ?? 'learner');
  }

  @LearnerAllowed()
  @Get('exercises/:id/learners/:learnerRef/scores')
  @ApiOperation({ summary: "A learner's best and latest submissions of an exercise" })
  @ApiOkResponse({ type: LearnerScoresView })
  getLearnerScores(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Param('learnerRef') learnerRef: string,
    @Query() query: SubmissionViewQuery,
  ): Promise<LearnerScores> {
    return this.exercises.scores(caller, id, learnerRef, query.view ?? 'learner');
  }

  @LearnerAllowed()
  @Get('exercises/:id/results')
  @ApiOperation({
    summary: "Every learner's results of an exercise, with the LTI course roster (instructors)",
    description:
      "Instructor sessions and tenant keys; a learner session gets 403. Paged by learner reference. With an LTI launch that granted NRPS, the course's learners who did not submit are listed too; its instructors are only counted (summary.instructors).",
  })
  @ApiOkResponse({ type: ExerciseResults })
  @ApiErrors(403)
  getExerciseResults(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: PageQuery,
  ): Promise<ExerciseResultsView> {
    return this.results.results(caller, id, query);
  }
}
