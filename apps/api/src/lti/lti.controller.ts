import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, Public } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { CreateLtiPlatformBody } from './lti.dto';
import { LtiService, type JwksDocument, type LtiPlatformView } from './lti.service';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

@ApiTags('lti')
@Controller('lti')
export class LtiController {
  constructor(private readonly lti: LtiService) {}

  @RateCost(RATE_COSTS.keyGeneration)
  @Post('platforms')
  @ApiBearerAuth('api-key')
  @ApiCreatedResponse({ description: 'The registration with the public JWK generated for it' })
  async register(
    @Caller() caller: CallerIdentity,
    @Body() body: CreateLtiPlatformBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LtiPlatformView> {
    const platform = await this.lti.register(caller.tenantId, body);
    response.setHeader('Location', `/v1/lti/platforms/${platform.id}`);
    return platform;
  }

  @Get('platforms')
  @ApiBearerAuth('api-key')
  list(@Caller() caller: CallerIdentity): Promise<{ items: LtiPlatformView[] }> {
    return this.lti.list(caller.tenantId);
  }

  @Get('jwks')
  @ApiBearerAuth('api-key')
  @ApiOkResponse({
    description: "The caller's JWKS (the same document as the public /v1/lti/<tenant>/jwks.json)",
  })
  ownJwks(@Caller() caller: CallerIdentity): Promise<JwksDocument> {
    return this.lti.jwks(caller.tenantId);
  }

  /** Public: platforms fetch the tool's keys without credentials (LTI 1.3 Security Framework §6.3). */
  @Get(':tenantId/jwks.json')
  @Public()
  @ApiOkResponse({ description: "The tenant's JWKS: one public key per registered platform" })
  jwks(@Param('tenantId') tenantId: string): Promise<JwksDocument> {
    return this.lti.jwks(tenantId);
  }
}
