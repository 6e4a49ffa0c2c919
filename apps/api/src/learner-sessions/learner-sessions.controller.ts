import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import { ApiError } from '../errors/api-error';
import type { CallerIdentity } from '../auth/request-of';
import {
  CreatedLearnerSessionView,
  CreateLearnerSessionBody,
  LearnerSessionView,
} from './learner-session.dto';
import { LearnerSessionsService } from './learner-sessions.service';

/** A tenant's API key only (but `current`): a learner session cannot make, read or end sessions. */
@ApiTags('learner-sessions')
@ApiBearerAuth('api-key')
@Controller('learner-sessions')
export class LearnerSessionsController {
  constructor(private readonly sessions: LearnerSessionsService) {}

  @Post()
  @ApiOperation({ summary: 'Open a learner session (a short-lived key for one learner)' })
  @ApiCreatedResponse({ type: CreatedLearnerSessionView })
  createLearnerSession(
    @Caller() caller: CallerIdentity,
    @Body() body: CreateLearnerSessionBody,
  ): Promise<CreatedLearnerSessionView> {
    return this.sessions.create({ tenantId: caller.tenantId, ...body });
  }

  /** The page asks who it runs as: the caller's own session (a tenant key has none). */
  @LearnerAllowed()
  @Get('current')
  @ApiOperation({ summary: "Read the caller's own learner session" })
  @ApiOkResponse({ type: LearnerSessionView })
  getCurrentLearnerSession(@Caller() caller: CallerIdentity): Promise<LearnerSessionView> {
    if (!caller.learner)
      throw new ApiError('not-found', 'the caller is a tenant API key, not a learner session');
    return this.sessions.get(caller.tenantId, caller.learner.sessionId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a learner session' })
  @ApiOkResponse({ type: LearnerSessionView })
  getLearnerSession(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
  ): Promise<LearnerSessionView> {
    return this.sessions.get(caller.tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a learner session' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revokeLearnerSession(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.sessions.revoke(caller.tenantId, id);
  }
}
