// The browser-facing LTI 1.3 flows: OIDC login initiation, the launch (id_token validation and the
// learner session), deep linking and dynamic registration. Each step answers either where to go
// next or a refusal `{reason, message}`, which the controller shows as a page and logs.
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isRepositoryError } from '@netplay/db';
import {
  generateLtiToolKey,
  isInstructor,
  LTI_MESSAGE_TYPES,
  LTI_SCOPES,
  ltiToolKeyFromPem,
  PlatformKeyCache,
  postToolRegistration,
  readPlatformConfiguration,
  signDeepLinkingResponse,
  validateIdToken,
  type LaunchRefusalReason,
} from '@netplay/webhooks';
import { API_CONFIG, publicBaseUrl, type ApiConfig } from '../config/api-config';
import { jwksPath } from './lti.service';
import { LINE_ITEM_TAG, launchLineItem } from './lti-line-item';
import { ExerciseDigests } from '../exercises/exercise-digests';
import { LTI_SESSION_STARTER, ltiLearnerRef, type LtiSessionStarter } from './lti-session-starter';
import type { PickerExercise } from './lti-pages';
import { ExerciseRepository, LtiLaunchRepository, LtiPlatformRepository } from '@netplay/db';
import { SECRETS_UNAVAILABLE } from '../infra/tokens';

export interface Refusal {
  ok: false;
  status: number;
  reason: LaunchRefusalReason | 'bad_request' | 'registration_failed' | 'unknown_exercise';
  message: string;
}

export type Step<T> = ({ ok: true } & T) | Refusal;

export interface LoginParameters {
  iss?: string;
  login_hint?: string;
  target_link_uri?: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
}

interface SealedState {
  platformId: string;
  nonce: string;
  targetLinkUri: string;
  expiresAt: number;
}

interface SealedPick {
  launchId: string;
  tenantId: string;
  expiresAt: number;
}

interface SealedRegistrationLink {
  tenantId: string;
  expiresAt: number;
}

/** A login must come back within this (the platform's auth step is one redirect). */
const STATE_LIFETIME_MS = 10 * 60_000;
/** An instructor has this long to pick an exercise. */
const PICK_LIFETIME_MS = 60 * 60_000;
export const REGISTRATION_LINK_LIFETIME_MS = 7 * 24 * 3600_000;
const PARAMETER_MAX_LENGTH = 4096;

const refuse = (status: number, reason: Refusal['reason'], message: string): Refusal => ({
  ok: false,
  status,
  reason,
  message,
});

@Injectable()
export class LtiLaunchService {
  private readonly logger = new Logger('lti');
  private readonly platformKeys: PlatformKeyCache;

  constructor(
    private readonly exercises: ExerciseRepository,
    private readonly digests: ExerciseDigests,
    private readonly ltiLaunches: LtiLaunchRepository,
    private readonly ltiPlatforms: LtiPlatformRepository,
    @Inject(SECRETS_UNAVAILABLE) private readonly secretsUnavailable: string,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LTI_SESSION_STARTER) private readonly sessions: LtiSessionStarter,
  ) {
    this.platformKeys = new PlatformKeyCache({
      policy: config.webhooks.policy,
      refetchCooldownMs: config.ltiJwksRefetchCooldownMs,
    });
  }

  get baseUrl(): string {
    return publicBaseUrl(this.config);
  }

  /** Logs a refusal with its reason code (the page shows the sentence). */
  logRefusal(step: string, refusal: Refusal): void {
    this.logger.warn(`${step} refused: ${refusal.reason}: ${refusal.message}`);
  }

  /** OIDC third-party initiated login (LTI Core §4.1, Security Framework §5.1.1). */
  async login(parameters: LoginParameters): Promise<Step<{ redirectTo: string }>> {
    const tooLong = Object.entries(parameters).find(
      ([, value]) => typeof value === 'string' && value.length > PARAMETER_MAX_LENGTH,
    );
    if (tooLong)
      return refuse(400, 'bad_request', `${tooLong[0]} is longer than ${PARAMETER_MAX_LENGTH}`);
    const { iss, login_hint: loginHint, target_link_uri: targetLinkUri } = parameters;
    if (!iss || !loginHint || !targetLinkUri)
      return refuse(400, 'bad_request', 'the login needs iss, login_hint and target_link_uri');
    if (!targetLinkUri.startsWith(`${this.baseUrl}/`))
      return refuse(400, 'bad_request', `target_link_uri is not a netplay URL (${this.baseUrl})`);
    const candidates = (
      await this.ltiPlatforms.findByIssuerAndClient(iss, parameters.client_id || undefined)
    ).filter(
      (platform) =>
        !parameters.lti_deployment_id ||
        platform.deploymentIds.includes(parameters.lti_deployment_id),
    );
    if (candidates.length === 0)
      return refuse(
        400,
        'unknown_platform',
        `no netplay registration for issuer ${iss} and client ${parameters.client_id ?? '(none)'}`,
      );
    if (candidates.length > 1)
      return refuse(
        400,
        'unknown_platform',
        `issuer ${iss} and client ${parameters.client_id ?? '(none)'} match several netplay registrations: the login must name its client_id and lti_deployment_id`,
      );
    const platform = candidates[0]!;
    if (!platform.authUrl)
      return refuse(
        400,
        'unknown_platform',
        'the registration has no authorization endpoint (authUrl): add it to launch',
      );
    const nonce = randomBytes(24).toString('base64url');
    const state = this.ltiLaunches.seal('state', {
      platformId: platform.id,
      nonce,
      targetLinkUri,
      expiresAt: Date.now() + STATE_LIFETIME_MS,
    } satisfies SealedState);
    const auth = new URL(platform.authUrl);
    const query: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: `${this.baseUrl}/lti/launch`,
      login_hint: loginHint,
      state,
      nonce,
      ...(parameters.lti_message_hint ? { lti_message_hint: parameters.lti_message_hint } : {}),
    };
    for (const [name, value] of Object.entries(query)) auth.searchParams.set(name, value);
    return { ok: true, redirectTo: auth.toString() };
  }

  /** The authentication response (form post of id_token and state). */
  async launch(body: {
    id_token?: string;
    state?: string;
  }): Promise<Step<{ redirectTo: string } | { picker: PickerPage }>> {
    if (!body.state) return refuse(400, 'missing_state', 'the launch carries no state');
    if (!body.id_token) return refuse(400, 'malformed_token', 'the launch carries no id_token');
    if (body.id_token.length > 64 * 1024 || body.state.length > PARAMETER_MAX_LENGTH)
      return refuse(400, 'bad_request', 'the id_token or the state is too long');
    const state = this.ltiLaunches.open('state', body.state) as SealedState | undefined;
    if (!state) return refuse(400, 'bad_state', 'the state was not issued by this netplay');
    if (state.expiresAt < Date.now())
      return refuse(400, 'bad_state', 'the login took too long: the state has expired');
    const platform = await this.ltiPlatforms.getWithKey(state.platformId);
    if (!platform) return refuse(400, 'unknown_platform', 'the registration no longer exists');
    if (!platform.platformJwksUrl)
      return refuse(400, 'unknown_platform', 'the registration has no platform JWKS URL');
    const jwksUrl = platform.platformJwksUrl;
    const validated = await validateIdToken(
      body.id_token,
      {
        keys: () => this.platformKeys.get(jwksUrl),
        refetch: () => this.platformKeys.refetchForUnknownKey(jwksUrl),
      },
      {
        issuer: platform.issuer,
        clientId: platform.clientId,
        nonce: state.nonce,
        deploymentIds: platform.deploymentIds,
        messageTypes: [LTI_MESSAGE_TYPES.resourceLink, LTI_MESSAGE_TYPES.deepLinkingRequest],
        now: Math.floor(Date.now() / 1000),
      },
    );
    if (!validated.ok)
      return validated.reason === 'nonce_mismatch'
        ? refuse(400, 'state_mismatch', 'the state belongs to another login than this id_token')
        : refuse(
            validated.reason === 'platform_keys_unavailable' ? 502 : 401,
            validated.reason,
            validated.message,
          );
    const { claims } = validated;
    const fresh = await this.ltiLaunches.consumeNonce(
      platform.id,
      claims.nonce,
      new Date(claims.expiresAt * 1000 + 3600_000),
      new Date(),
    );
    if (!fresh) return refuse(401, 'nonce_replayed', 'this id_token was used before');
    const instructor = isInstructor(claims.roles);
    const exerciseId =
      claims.custom.exercise_id ?? exerciseOfTarget(claims.targetLinkUri ?? state.targetLinkUri);
    const launch = await this.ltiLaunches.record({
      tenantId: platform.tenantId,
      platformId: platform.id,
      deploymentId: claims.deploymentId,
      messageType: claims.messageType,
      subject: claims.subject,
      ...(platform.storeLearnerIdentity
        ? { name: claims.name?.slice(0, 500), email: claims.email?.slice(0, 500) }
        : {}),
      roles: claims.roles.slice(0, 50),
      instructor,
      contextId: claims.contextId,
      resourceLinkId: claims.resourceLinkId,
      lineItemUrl: claims.ags?.lineItem,
      lineItemsUrl: claims.ags?.lineItems,
      agsScopes: claims.ags?.scope ?? [],
      membershipsUrl: claims.nrps?.membershipsUrl,
      deepLinkReturnUrl: claims.deepLinking?.returnUrl,
      deepLinkData: claims.deepLinking?.data,
    });
    if (claims.messageType === LTI_MESSAGE_TYPES.deepLinkingRequest) {
      const exercises = await this.pickerExercises(platform.tenantId);
      const request = this.ltiLaunches.seal('pick', {
        launchId: launch.id,
        tenantId: platform.tenantId,
        expiresAt: Date.now() + PICK_LIFETIME_MS,
      } satisfies SealedPick);
      return { ok: true, picker: { request, exercises } };
    }
    const exercise = exerciseId
      ? await this.exercises.get(platform.tenantId, exerciseId)
      : undefined;
    if (!exercise)
      return refuse(
        404,
        'unknown_exercise',
        exerciseId
          ? `exercise ${exerciseId} is not in this netplay tenant`
          : 'the link names no exercise: the instructor adds it again with "netplay exercise" (deep linking)',
      );
    const session = await this.sessions.start({
      tenantId: platform.tenantId,
      learnerRef: ltiLearnerRef(platform.id, claims.subject),
      exerciseId: exercise.id,
      role: instructor ? 'instructor' : 'learner',
    });
    await this.ltiLaunches.bindSession(launch.id, exercise.id, session.sessionId);
    if (!launch.lineItemUrl && launch.lineItemsUrl) {
      // Found or created now, while the learner works; a failure is tried again at submission.
      const lineItem = await launchLineItem(
        {
          ltiLaunches: this.ltiLaunches,
          ltiPlatforms: this.ltiPlatforms,
          policy: this.config.webhooks.policy,
        },
        launch,
        { ...exercise, points: await this.digests.pointsOf(exercise) },
      );
      if (!lineItem.ok)
        this.logger.warn(`launch ${launch.id}: no line item yet: ${lineItem.reason}`);
    }
    return { ok: true, redirectTo: session.url };
  }

  /** The instructor picked an exercise: the signed LtiDeepLinkingResponse and where to post it. */
  async pick(body: {
    request?: string;
    exercise_id?: string;
  }): Promise<Step<{ returnUrl: string; jwt: string }>> {
    const sealed = body.request
      ? (this.ltiLaunches.open('pick', body.request) as SealedPick | undefined)
      : undefined;
    if (!sealed || sealed.expiresAt < Date.now())
      return refuse(400, 'bad_state', 'the picker page expired: open it again from the course');
    const launch = await this.ltiLaunches.get(sealed.tenantId, sealed.launchId);
    const platform = launch && (await this.ltiPlatforms.getWithKey(launch.platformId));
    if (!launch?.deepLinkReturnUrl || !platform)
      return refuse(400, 'bad_state', 'the deep-linking request is gone');
    const exercise = body.exercise_id
      ? await this.exercises.get(sealed.tenantId, body.exercise_id)
      : undefined;
    if (!exercise) return refuse(404, 'unknown_exercise', 'no such exercise in this tenant');
    const key = ltiToolKeyFromPem(platform.privateKeyPem, platform.keyId);
    const jwt = await signDeepLinkingResponse({
      clientId: platform.clientId,
      platformIssuer: platform.issuer,
      deploymentId: launch.deploymentId,
      data: launch.deepLinkData ?? undefined,
      item: {
        title: exercise.title,
        url: `${this.baseUrl}/lti/launch?exercise=${exercise.id}`,
        custom: { exercise_id: exercise.id },
        scoreMaximum: await this.digests.pointsOf(exercise),
        label: exercise.title,
        resourceId: exercise.id,
        tag: LINE_ITEM_TAG,
      },
      keyId: key.keyId,
      privateKey: key.privateKey,
      now: Math.floor(Date.now() / 1000),
    });
    return { ok: true, returnUrl: launch.deepLinkReturnUrl, jwt };
  }

  /** A registration link for the tenant: the URL an LMS administrator pastes (DR 1.0 §3.3). */
  registrationUrl(tenantId: string): { url: string; expiresAt: string } {
    const expiresAt = Date.now() + REGISTRATION_LINK_LIFETIME_MS;
    const link = this.ltiLaunches.seal('registration', {
      tenantId,
      expiresAt,
    } satisfies SealedRegistrationLink);
    return {
      url: `${this.baseUrl}/lti/register?link=${encodeURIComponent(link)}`,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Dynamic Registration: read the platform, register the tool, store the registration. */
  async register(query: {
    link?: string;
    openid_configuration?: string;
    registration_token?: string;
  }): Promise<Step<{ summary: string }>> {
    const link = query.link
      ? (this.ltiLaunches.open('registration', query.link) as SealedRegistrationLink | undefined)
      : undefined;
    if (!link || link.expiresAt < Date.now())
      return refuse(
        400,
        'bad_state',
        'this registration URL is not valid (ask netplay for a new one: POST /v1/lti/registration-links)',
      );
    if (!query.openid_configuration)
      return refuse(400, 'bad_request', 'the platform sent no openid_configuration');
    if (this.secretsUnavailable) return refuse(503, 'registration_failed', this.secretsUnavailable);
    const policy = this.config.webhooks.policy;
    const configuration = await readPlatformConfiguration(query.openid_configuration, policy);
    if (!configuration.ok) return refuse(502, 'registration_failed', configuration.message);
    const platformConfig = configuration.value;
    const key = await generateLtiToolKey();
    const registered = await postToolRegistration(
      platformConfig.registrationEndpoint,
      query.registration_token,
      {
        clientName: 'netplay',
        baseUrl: this.baseUrl,
        jwksUri: `${this.baseUrl}${jwksPath(link.tenantId)}`,
        scopes: [
          LTI_SCOPES.lineItem,
          LTI_SCOPES.resultReadOnly,
          LTI_SCOPES.score,
          LTI_SCOPES.memberships,
        ],
      },
      policy,
    );
    if (!registered.ok) return refuse(502, 'registration_failed', registered.message);
    const created = await this.ltiPlatforms
      .create(link.tenantId, {
        issuer: platformConfig.issuer,
        clientId: registered.value.clientId,
        tokenUrl: platformConfig.tokenEndpoint,
        authUrl: platformConfig.authorizationEndpoint,
        platformJwksUrl: platformConfig.jwksUri,
        deploymentIds: registered.value.deploymentId ? [registered.value.deploymentId] : [],
        registeredBy: 'dynamic',
        keyId: key.keyId,
        publicJwk: JSON.parse(JSON.stringify(key.publicJwk)) as Record<string, string>,
        privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      })
      .catch((error: unknown) => {
        if (isRepositoryError(error, 'already-exists')) return undefined;
        throw error;
      });
    if (!created)
      return refuse(
        409,
        'registration_failed',
        `client ${registered.value.clientId} of ${platformConfig.issuer} is registered already`,
      );
    this.logger.log(
      `registered ${platformConfig.issuer} client ${registered.value.clientId} for tenant ${link.tenantId}`,
    );
    return {
      ok: true,
      summary: `netplay is registered with ${platformConfig.issuer} as client ${registered.value.clientId}. You can close this window.`,
    };
  }

  private async pickerExercises(tenantId: string): Promise<PickerExercise[]> {
    const listed = await this.exercises.list(tenantId, { limit: 100 });
    return Promise.all(
      listed.items.map(async (exercise) => ({
        id: exercise.id,
        title: exercise.title,
        points: await this.digests.pointsOf(exercise),
      })),
    );
  }
}

export interface PickerPage {
  request: string;
  exercises: PickerExercise[];
}

/** The `?exercise=` of a target link URI (the login checked it is netplay's). */
function exerciseOfTarget(targetLinkUri: string): string | undefined {
  try {
    return new URL(targetLinkUri).searchParams.get('exercise') ?? undefined;
  } catch {
    return undefined;
  }
}
