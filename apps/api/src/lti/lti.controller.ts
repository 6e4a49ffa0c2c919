import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/error-responses';
import type { Response } from 'express';
import { Caller, LearnerAllowed, Public } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import {
  AddDeploymentBody,
  CreateLtiPlatformBody,
  Jwks,
  LtiPlatform,
  LtiPlatformList,
  RotateKeyBody,
} from './lti.dto';
import { LtiLaunchService } from './lti-launch.service';
import {
  LtiService,
  type JwksDocument,
  type LtiPlatformView,
  type RosterMember,
} from './lti.service';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

@ApiTags('lti')
@Controller('lti')
export class LtiController {
  constructor(
    private readonly lti: LtiService,
    private readonly launches: LtiLaunchService,
  ) {}

  @RateCost(RATE_COSTS.keyGeneration)
  @Post('platforms')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: 'Register an LTI 1.3 platform (a tool key is generated for it)' })
  @ApiCreatedResponse({
    type: LtiPlatform,
    description: 'The registration with the public JWK generated for it',
  })
  @ApiErrors(409, 422)
  async registerLtiPlatform(
    @Caller() caller: CallerIdentity,
    @Body() body: CreateLtiPlatformBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LtiPlatformView> {
    const platform = await this.lti.register(caller.tenantId, body);
    response.setHeader('Location', `/v1/lti/platforms/${platform.id}`);
    return platform;
  }

  @Post('platforms/:id/deployments')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: 'Accept launches from one more deployment of a platform' })
  @ApiOkResponse({
    type: LtiPlatform,
    description: 'The registration, launches from the deployment now accepted',
  })
  addLtiDeployment(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: AddDeploymentBody,
  ): Promise<LtiPlatformView> {
    return this.lti.addDeployment(caller.tenantId, id, body.deploymentId);
  }

  @RateCost(RATE_COSTS.keyGeneration)
  @Post('platforms/:id/rotate-key')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: "Rotate a platform registration's tool key" })
  @ApiOkResponse({
    type: LtiPlatform,
    description: 'The registration with its new key; the old one stays published',
  })
  rotateLtiKey(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Body() body: RotateKeyBody,
  ): Promise<LtiPlatformView> {
    return this.lti.rotateKey(caller.tenantId, id, (body.overlapSeconds ?? 86_400) * 1000);
  }

  /** The URL an LMS administrator pastes for LTI Dynamic Registration (valid 7 days). */
  @Post('registration-links')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: 'A URL for LTI Dynamic Registration (valid 7 days)' })
  @ApiCreatedResponse({
    description: 'The registration URL for the LMS',
    schema: {
      type: 'object',
      required: ['url', 'expiresAt'],
      properties: { url: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
    },
  })
  createLtiRegistrationLink(@Caller() caller: CallerIdentity): { url: string; expiresAt: string } {
    return this.launches.registrationUrl(caller.tenantId);
  }

  /** NRPS: the course's members and whether each attempted the exercise (instructors only). */
  @LearnerAllowed()
  @Get('roster')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: "The launch's course members and their attempts (instructors)" })
  @ApiOkResponse({
    description: "The launch's course members with their attempts",
    schema: {
      type: 'object',
      required: ['items', 'truncated'],
      properties: {
        items: { type: 'array', items: { type: 'object', additionalProperties: true } },
        truncated: {
          type: 'boolean',
          description: 'The platform had more members or pages than netplay reads (docs/lti.md)',
        },
      },
    },
  })
  getLtiRoster(
    @Caller() caller: CallerIdentity,
    @Query('exerciseId', new ParseUUIDPipe()) exerciseId: string,
  ): Promise<{ items: RosterMember[]; truncated: boolean }> {
    return this.lti.roster(caller, exerciseId);
  }

  @Get('platforms')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: "List the tenant's LTI platforms" })
  @ApiOkResponse({ type: LtiPlatformList })
  listLtiPlatforms(@Caller() caller: CallerIdentity): Promise<{ items: LtiPlatformView[] }> {
    return this.lti.list(caller.tenantId);
  }

  @Get('jwks')
  @ApiBearerAuth('api-key')
  @ApiOperation({ summary: "The tenant's tool keys (JWKS)" })
  @ApiOkResponse({
    type: Jwks,
    description: "The caller's JWKS (the same document as the public /v1/lti/<tenant>/jwks.json)",
  })
  getOwnJwks(@Caller() caller: CallerIdentity): Promise<JwksDocument> {
    return this.lti.jwks(caller.tenantId);
  }

  /** Public: platforms fetch the tool's keys without credentials (LTI 1.3 Security Framework §6.3). */
  @Get(':tenantId/jwks.json')
  @Public()
  @ApiOperation({ summary: "A tenant's public tool keys, for platforms (no key needed)" })
  @ApiOkResponse({ type: Jwks, description: 'One public key per registered platform' })
  getTenantJwks(@Param('tenantId') tenantId: string): Promise<JwksDocument> {
    return this.lti.jwks(tenantId);
  }
}
