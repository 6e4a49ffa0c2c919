// The LTI 1.3 URLs a platform and its users' browsers call, outside /v1 (they are registered in the
// platform once and must not change with the API's version): login initiation, the launch, the
// deep-linking pick, dynamic registration, the deployment's JWKS and the tool configuration.
// Answers are HTML pages or redirects; a refusal is a page naming the reason, and is logged.
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LTI_SCOPES, toolConfiguration } from '@netplay/webhooks';
import { Public } from '../auth/access.decorators';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';
import { LtiLaunchService, type LoginParameters, type Refusal } from './lti-launch.service';
import { sendAutoPostForm, sendErrorPage, sendPickerPage, sendRegistrationDone } from './lti-pages';
import { LtiPlatformRepository } from '@netplay/db';

/** Paths served outside the /v1 prefix (create-app.ts excludes them). */
export const LTI_UNVERSIONED_ROUTES = [
  'lti/login',
  'lti/launch',
  'lti/deep-link',
  'lti/register',
  'lti/tool-configuration.json',
  '.well-known/jwks.json',
];

type Form = Record<string, unknown>;

/** Only string fields of a query or form (a repeated field arrives as an array: ignored). */
function strings(source: Form | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

@ApiExcludeController()
@Public()
@Controller()
export class LtiLaunchController {
  constructor(
    private readonly lti: LtiLaunchService,
    private readonly ltiPlatforms: LtiPlatformRepository,
  ) {}

  private refused(response: Response, step: string, refusal: Refusal): void {
    this.lti.logRefusal(step, refusal);
    sendErrorPage(response, refusal.status, refusal.reason, refusal.message);
  }

  @Get('lti/login')
  loginGet(@Query() query: Form, @Res() response: Response): Promise<void> {
    return this.login(strings(query), response);
  }

  @Post('lti/login')
  loginPost(@Body() body: Form, @Res() response: Response): Promise<void> {
    return this.login(strings(body), response);
  }

  private async login(parameters: LoginParameters, response: Response): Promise<void> {
    const step = await this.lti.login(parameters);
    if (!step.ok) return this.refused(response, 'login', step);
    response.setHeader('cache-control', 'no-store');
    response.redirect(302, step.redirectTo);
  }

  @Post('lti/launch')
  async launch(@Body() body: Form, @Res() response: Response): Promise<void> {
    const step = await this.lti.launch(strings(body));
    if (!step.ok) return this.refused(response, 'launch', step);
    if ('picker' in step)
      return sendPickerPage(
        response,
        `${this.lti.baseUrl}/lti/deep-link`,
        step.picker.request,
        step.picker.exercises,
      );
    response.setHeader('cache-control', 'no-store');
    response.redirect(302, step.redirectTo);
  }

  @Post('lti/deep-link')
  async pick(@Body() body: Form, @Res() response: Response): Promise<void> {
    const step = await this.lti.pick(strings(body));
    if (!step.ok) return this.refused(response, 'deep linking', step);
    sendAutoPostForm(response, step.returnUrl, { JWT: step.jwt }, 'Returning to the course');
  }

  /** Generates a key pair once the sealed link checked out: priced like a key generation. */
  @RateCost(RATE_COSTS.keyGeneration)
  @Get('lti/register')
  async register(@Query() query: Form, @Res() response: Response): Promise<void> {
    const step = await this.lti.register(strings(query));
    if (!step.ok) return this.refused(response, 'registration', step);
    sendRegistrationDone(response, step.summary);
  }

  /** Every registration's public keys (current and, during a rotation, the previous one). */
  @Get('.well-known/jwks.json')
  async jwks(): Promise<{ keys: unknown[] }> {
    return { keys: await this.ltiPlatforms.allPublicJwks() };
  }

  /** The tool configuration for platforms that import one (the same one dynamic registration posts). */
  @Get('lti/tool-configuration.json')
  configuration(): Record<string, unknown> {
    return toolConfiguration({
      clientName: 'netplay',
      baseUrl: this.lti.baseUrl,
      jwksUri: `${this.lti.baseUrl}/.well-known/jwks.json`,
      scopes: [
        LTI_SCOPES.lineItem,
        LTI_SCOPES.resultReadOnly,
        LTI_SCOPES.score,
        LTI_SCOPES.memberships,
      ],
    });
  }
}
