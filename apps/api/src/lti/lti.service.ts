// LTI 1.3 platform registrations for REST, scoped by the caller's tenant. Each registration gets its
// own tool key pair: the private key is encrypted at rest (LtiPlatformRepository), the public JWK is
// served in the tenant's JWKS (public URL, since platforms fetch it without credentials). Also checks
// a submission's LTI target before it is stored, for REST and GraphQL alike.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LtiPlatformRecord, SubmissionLtiTarget } from '@netplay/db';
import {
  AGS_SCORE_SCOPE,
  generateLtiToolKey,
  platformRegistrationOf,
  readContextMembers,
} from '@netplay/webhooks';
import type { CallerIdentity } from '../auth/request-of';
import { ltiLearnerRef } from './lti-session-starter';
import { launchLineItem, type LineItemExercise } from './lti-line-item';
import { ApiError } from '../errors/api-error';
import { refusedAs } from '../errors/repository-refusal';
import { API_CONFIG, publicBaseUrl, type ApiConfig } from '../config/api-config';
import { checkEndpointUrl } from '../webhooks/webhooks.service';
import { LtiLaunchRepository, LtiPlatformRepository } from '@netplay/db';
import { SECRETS_UNAVAILABLE } from '../infra/tokens';

export interface LtiPlatformView {
  id: string;
  issuer: string;
  clientId: string;
  tokenUrl: string;
  deploymentId: string | null;
  deploymentIds: string[];
  authUrl: string | null;
  platformJwksUrl: string | null;
  storeLearnerIdentity: boolean;
  registeredBy: string;
  keyId: string;
  /** The tool's public key to register with the platform (or fetch it from `jwksUrl`). */
  publicJwk: unknown;
  /** The key replaced by the last rotation, published until `previousKeyExpiresAt`. */
  previousKeyId: string | null;
  previousKeyExpiresAt: string | null;
  /** Path of the tenant's public JWKS document, relative to the API origin. */
  jwksUrl: string;
  /** The same document's absolute URL under NETPLAY_PUBLIC_URL: what the platform is given. */
  toolJwksUrl: string;
  createdAt: string;
}

export interface PlatformInput {
  issuer: string;
  clientId: string;
  tokenUrl: string;
  deploymentId?: string;
  deploymentIds?: string[];
  authUrl?: string;
  platformJwksUrl?: string;
  storeLearnerIdentity?: boolean;
}

export interface RosterMember {
  userId: string;
  name: string | null;
  roles: string[];
  status: string;
  /** netplay's learnerRef for the member (what its submissions carry). */
  learnerRef: string;
  attempted: boolean;
  submissions: number;
  bestScore: number | null;
}

export type CourseMember = Pick<
  RosterMember,
  'userId' | 'name' | 'roles' | 'status' | 'learnerRef'
>;

export type CourseMembers =
  | { status: 'none' }
  | { status: 'unavailable'; message: string }
  | { status: 'read'; members: CourseMember[]; truncated: boolean };

export interface JwksDocument {
  keys: unknown[];
}

@Injectable()
export class LtiService {
  private readonly logger = new Logger('lti');

  constructor(
    private readonly ltiLaunches: LtiLaunchRepository,
    private readonly ltiPlatforms: LtiPlatformRepository,
    @Inject(SECRETS_UNAVAILABLE) private readonly secretsUnavailable: string,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private view(platform: LtiPlatformRecord): LtiPlatformView {
    return toPlatformView(platform, publicBaseUrl(this.config));
  }

  async register(tenantId: string, input: PlatformInput): Promise<LtiPlatformView> {
    if (this.secretsUnavailable)
      throw new ApiError(
        'unavailable',
        `LTI tool keys cannot be stored: ${this.secretsUnavailable}`,
      );
    checkEndpointUrl(input.tokenUrl, this.config.webhooks.policy, 'tokenUrl');
    if (input.authUrl) checkEndpointUrl(input.authUrl, this.config.webhooks.policy, 'authUrl');
    if (input.platformJwksUrl)
      checkEndpointUrl(input.platformJwksUrl, this.config.webhooks.policy, 'platformJwksUrl');
    // A duplicate costs no key pair; a concurrent duplicate still meets the unique index below.
    if (await this.ltiPlatforms.exists(tenantId, input.issuer, input.clientId))
      throw alreadyRegistered(input);
    const key = await generateLtiToolKey();
    const privateKeyPem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // A JWK is plain JSON (RFC 7517); the JSON round trip gives it the stored type.
    const publicJwk = JSON.parse(JSON.stringify(key.publicJwk)) as Record<string, string>;
    const deploymentIds = [
      ...new Set([
        ...(input.deploymentId ? [input.deploymentId] : []),
        ...(input.deploymentIds ?? []),
      ]),
    ];
    const created = await this.ltiPlatforms
      .create(tenantId, { ...input, deploymentIds, keyId: key.keyId, publicJwk, privateKeyPem })
      .catch(refusedAs('already-exists', () => alreadyRegistered(input)));
    return this.view(created);
  }

  /** Allows launches from one more deployment of the platform. */
  async addDeployment(
    tenantId: string,
    id: string,
    deploymentId: string,
  ): Promise<LtiPlatformView> {
    if (!(await this.ltiPlatforms.addDeployment(tenantId, id, deploymentId)))
      throw new ApiError('not-found', `no LTI platform ${id}`);
    return this.view((await this.ltiPlatforms.get(tenantId, id))!);
  }

  /**
   * A new tool key for the registration; the replaced key stays in the JWKS for `overlapMs` so a
   * platform that cached the JWKS keeps accepting assertions signed before it refetches.
   */
  async rotateKey(tenantId: string, id: string, overlapMs: number): Promise<LtiPlatformView> {
    if (!(await this.ltiPlatforms.get(tenantId, id)))
      throw new ApiError('not-found', `no LTI platform ${id}`);
    const key = await generateLtiToolKey();
    const rotated = await this.ltiPlatforms.rotateKey(tenantId, id, {
      keyId: key.keyId,
      publicJwk: JSON.parse(JSON.stringify(key.publicJwk)) as Record<string, string>,
      privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      previousExpiresAt: new Date(Date.now() + overlapMs),
    });
    if (!rotated) throw new ApiError('not-found', `no LTI platform ${id}`);
    return this.view(rotated);
  }

  async list(tenantId: string): Promise<{ items: LtiPlatformView[] }> {
    return {
      items: (await this.ltiPlatforms.list(tenantId)).map((platform) => this.view(platform)),
    };
  }

  /** The tenant's JWKS (RFC 7517 §5): one key per registered platform; empty for an unknown tenant. */
  async jwks(tenantId: string): Promise<JwksDocument> {
    return { keys: await this.ltiPlatforms.publicJwks(tenantId) };
  }

  /**
   * The score passback target of a learner session an LTI launch opened, for a submission to the
   * launch's exercise: the launch's line item (AGS endpoint claim `lineitem`, also the one deep
   * linking created, or the one found or created in the `lineitems` container) and `sub` as the
   * user. None when the session was not opened by a launch, the submission is for another
   * exercise, or the platform granted no score scope or no line item could be had.
   */
  async launchTarget(
    tenantId: string,
    learnerSessionId: string,
    exercise: LineItemExercise,
  ): Promise<SubmissionLtiTarget | undefined> {
    const launch = await this.ltiLaunches.forSession(tenantId, learnerSessionId);
    if (!launch || launch.exerciseId !== exercise.id) return undefined;
    if (!launch.agsScopes.includes(AGS_SCORE_SCOPE)) return undefined;
    const lineItem = await launchLineItem(
      {
        ltiLaunches: this.ltiLaunches,
        ltiPlatforms: this.ltiPlatforms,
        policy: this.config.webhooks.policy,
      },
      launch,
      exercise,
    );
    if (!lineItem.ok) {
      if (launch.lineItemsUrl)
        this.logger.warn(`launch ${launch.id}: the score has no line item: ${lineItem.reason}`);
      return undefined;
    }
    return {
      platformId: launch.platformId,
      lineItemUrl: lineItem.lineItemUrl,
      userId: launch.subject,
    };
  }

  /**
   * The members of the course the exercise was launched from (NRPS), each with whether they
   * submitted. An instructor session reads the course of its own launch; a tenant key the course
   * of the exercise's latest launch that granted the memberships service.
   */
  async roster(
    caller: CallerIdentity,
    exerciseId: string,
  ): Promise<{ items: RosterMember[]; truncated: boolean }> {
    const { tenantId } = caller;
    if (caller.learner && caller.learner.role !== 'instructor')
      throw new ApiError('forbidden', 'only instructors see the roster');
    const course = await this.courseMembers(caller, exerciseId);
    if (course.status === 'none')
      throw new ApiError(
        'not-found',
        `no LTI launch of exercise ${exerciseId} granted the course roster (NRPS)`,
      );
    if (course.status === 'unavailable') throw new ApiError('unavailable', course.message);
    const refs = course.members.map((member) => member.learnerRef);
    const attempts = await this.ltiLaunches.attempts(tenantId, exerciseId, refs);
    return {
      items: course.members.map((member) => {
        const attempt = attempts.get(member.learnerRef);
        return {
          ...member,
          attempted: attempt !== undefined,
          submissions: attempt?.submissions ?? 0,
          bestScore: attempt?.bestScore ?? null,
        };
      }),
      truncated: course.truncated,
    };
  }

  /**
   * The course members (NRPS) of the launch the caller's view of the exercise comes from: an
   * instructor session's own launch, or for a tenant key the exercise's latest launch that granted
   * the memberships service. `none` when there is no such launch; `unavailable` when the platform
   * could not be read. Names come from the platform now and are not stored.
   */
  async courseMembers(caller: CallerIdentity, exerciseId: string): Promise<CourseMembers> {
    const { tenantId } = caller;
    const launch = caller.learner
      ? await this.ltiLaunches.forSession(tenantId, caller.learner.sessionId)
      : await this.ltiLaunches.latestWithRoster(tenantId, exerciseId);
    if (!launch?.membershipsUrl || launch.exerciseId !== exerciseId) return { status: 'none' };
    const platform = await this.ltiPlatforms.getForPassback(tenantId, launch.platformId);
    if (!platform) return { status: 'none' };
    const read = await readContextMembers(platformRegistrationOf(platform), launch.membershipsUrl, {
      policy: this.config.webhooks.policy,
    });
    if (!read.ok)
      return {
        status: 'unavailable',
        message: `the platform's roster could not be read: ${read.message}`,
      };
    return {
      status: 'read',
      truncated: read.truncated,
      members: read.members.map((member) => ({
        userId: member.userId,
        name: member.name ?? null,
        roles: member.roles,
        status: member.status,
        learnerRef: ltiLearnerRef(platform.id, member.userId),
      })),
    };
  }

  /** A submission's LTI target must name a platform of the caller's tenant and a safe line item URL. */
  async checkSubmissionTarget(tenantId: string, target: SubmissionLtiTarget): Promise<void> {
    if (!(await this.ltiPlatforms.get(tenantId, target.platformId))) {
      throw new ApiError('validation-failed', `no LTI platform ${target.platformId}`, [
        { field: 'lti.platformId', message: 'no such LTI platform' },
      ]);
    }
    checkEndpointUrl(target.lineItemUrl, this.config.webhooks.policy, 'lti.lineItemUrl');
    if (target.userId.length < 1 || target.userId.length > 500) {
      throw new ApiError('validation-failed', 'lti.userId must be 1 to 500 characters long', [
        { field: 'lti.userId', message: 'must be 1 to 500 characters long' },
      ]);
    }
  }
}

export function jwksPath(tenantId: string): string {
  return `/v1/lti/${tenantId}/jwks.json`;
}

function toPlatformView(platform: LtiPlatformRecord, baseUrl: string): LtiPlatformView {
  return {
    id: platform.id,
    issuer: platform.issuer,
    clientId: platform.clientId,
    tokenUrl: platform.tokenUrl,
    deploymentId: platform.deploymentId,
    deploymentIds: platform.deploymentIds,
    authUrl: platform.authUrl,
    platformJwksUrl: platform.platformJwksUrl,
    storeLearnerIdentity: platform.storeLearnerIdentity,
    registeredBy: platform.registeredBy,
    keyId: platform.keyId,
    publicJwk: platform.publicJwk,
    previousKeyId: platform.previousKeyExpiresAt ? platform.previousKeyId : null,
    previousKeyExpiresAt: platform.previousKeyExpiresAt?.toISOString() ?? null,
    jwksUrl: jwksPath(platform.tenantId),
    toolJwksUrl: `${baseUrl}${jwksPath(platform.tenantId)}`,
    createdAt: platform.createdAt.toISOString(),
  };
}

function alreadyRegistered(input: PlatformInput): ApiError {
  return new ApiError(
    'conflict',
    `a platform with issuer ${input.issuer} and client id ${input.clientId} is registered`,
    [{ field: 'clientId', message: 'already registered for this issuer' }],
  );
}
