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
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import {
  ExerciseBody,
  ListExercisesQuery,
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
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

@ApiTags('exercises')
@ApiBearerAuth('api-key')
@Controller()
export class ExercisesController {
  constructor(private readonly exercises: ExercisesService) {}

  @RateCost(RATE_COSTS.exerciseWrite)
  @Post('exercises')
  @ApiCreatedResponse({ description: 'The published exercise' })
  async create(
    @Caller() caller: CallerIdentity,
    @Body() body: ExerciseBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ExerciseView> {
    const exercise = await this.exercises.create(caller.tenantId, body.yaml);
    response.setHeader('Location', `/v1/exercises/${exercise.id}`);
    return exercise;
  }

  @Get('exercises')
  @ApiOkResponse({ description: 'The tenant’s exercises, newest first' })
  list(
    @Caller() caller: CallerIdentity,
    @Query() query: ListExercisesQuery,
  ): Promise<ExercisePage> {
    const { include, ...page } = query;
    return this.exercises.list(caller.tenantId, { ...page, includeYaml: include === 'yaml' });
  }

  @Get('exercises/:id')
  get(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<ExerciseView> {
    return this.exercises.get(caller.tenantId, id);
  }

  @RateCost(RATE_COSTS.exerciseWrite)
  @Patch('exercises/:id')
  update(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: ExerciseBody,
  ): Promise<ExerciseView> {
    return this.exercises.update(caller.tenantId, id, body.yaml);
  }

  @Delete('exercises/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.exercises.remove(caller.tenantId, id);
  }

  @RateCost(RATE_COSTS.submission)
  @Post('exercises/:id/submissions')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'Queued for grading; poll the Location or receive the submission.graded webhook',
  })
  async submit(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: SubmissionBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmissionView> {
    const submission = await this.exercises.submit(caller.tenantId, id, body);
    response.setHeader('Location', `/v1/submissions/${submission.id}`);
    return submission;
  }

  @Get('submissions/:id')
  getSubmission(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: SubmissionViewQuery,
  ): Promise<SubmissionView> {
    return this.exercises.getSubmission(caller.tenantId, id, query.view ?? 'learner');
  }

  @Get('exercises/:id/learners/:learnerRef/scores')
  scores(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Param('learnerRef') learnerRef: string,
    @Query() query: SubmissionViewQuery,
  ): Promise<LearnerScores> {
    return this.exercises.scores(caller.tenantId, id, learnerRef, query.view ?? 'learner');
  }
}
