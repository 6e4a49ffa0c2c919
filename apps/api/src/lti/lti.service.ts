// LTI 1.3 platform registrations for REST, scoped by the caller's tenant. Each registration gets its
// own tool key pair: the private key is encrypted at rest (LtiPlatformRepository), the public JWK is
// served in the tenant's JWKS (public URL, since platforms fetch it without credentials). Also checks
// a submission's LTI target before it is stored, for REST and GraphQL alike.
import { Inject, Injectable } from '@nestjs/common';
import type { LtiPlatformRecord, SubmissionLtiTarget } from '@netplay/db';
import type { GradingRuntime } from '@netplay/jobs';
import { generateLtiToolKey } from '@netplay/webhooks';
import { ApiError } from '../errors/api-error';
import { checkEndpointUrl } from '../webhooks/webhooks.service';
import { GRADING_RUNTIME } from '../webhooks/grading-runtime.module';

export interface LtiPlatformView {
  id: string;
  issuer: string;
  clientId: string;
  tokenUrl: string;
  deploymentId: string | null;
  keyId: string;
  /** The tool's public key to register with the platform (or fetch it from `jwksUrl`). */
  publicJwk: unknown;
  /** Path of the tenant's public JWKS document, relative to the API origin. */
  jwksUrl: string;
  createdAt: string;
}

export interface PlatformInput {
  issuer: string;
  clientId: string;
  tokenUrl: string;
  deploymentId?: string;
}

export interface JwksDocument {
  keys: unknown[];
}

@Injectable()
export class LtiService {
  constructor(@Inject(GRADING_RUNTIME) private readonly runtime: GradingRuntime) {}

  async register(tenantId: string, input: PlatformInput): Promise<LtiPlatformView> {
    if (this.runtime.secretsUnavailable)
      throw new ApiError(
        'unavailable',
        `LTI tool keys cannot be stored: ${this.runtime.secretsUnavailable}`,
      );
    checkEndpointUrl(input.tokenUrl, this.runtime.settings.policy, 'tokenUrl');
    // A duplicate costs no key pair; a concurrent duplicate still meets the unique index below.
    if (await this.runtime.ltiPlatforms.exists(tenantId, input.issuer, input.clientId))
      throw alreadyRegistered(input);
    const key = await generateLtiToolKey();
    const privateKeyPem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // A JWK is plain JSON (RFC 7517); the JSON round trip gives it the stored type.
    const publicJwk = JSON.parse(JSON.stringify(key.publicJwk)) as Record<string, string>;
    const created = await this.runtime.ltiPlatforms.create(tenantId, {
      ...input,
      keyId: key.keyId,
      publicJwk,
      privateKeyPem,
    });
    if (!created.ok) throw alreadyRegistered(input);
    return toPlatformView(created.platform);
  }

  async list(tenantId: string): Promise<{ items: LtiPlatformView[] }> {
    return { items: (await this.runtime.ltiPlatforms.list(tenantId)).map(toPlatformView) };
  }

  /** The tenant's JWKS (RFC 7517 §5): one key per registered platform; empty for an unknown tenant. */
  async jwks(tenantId: string): Promise<JwksDocument> {
    return { keys: await this.runtime.ltiPlatforms.publicJwks(tenantId) };
  }

  /** A submission's LTI target must name a platform of the caller's tenant and a safe line item URL. */
  async checkSubmissionTarget(tenantId: string, target: SubmissionLtiTarget): Promise<void> {
    if (!(await this.runtime.ltiPlatforms.get(tenantId, target.platformId))) {
      throw new ApiError('validation-failed', `no LTI platform ${target.platformId}`, [
        { field: 'lti.platformId', message: 'no such LTI platform' },
      ]);
    }
    checkEndpointUrl(target.lineItemUrl, this.runtime.settings.policy, 'lti.lineItemUrl');
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

function toPlatformView(platform: LtiPlatformRecord): LtiPlatformView {
  return {
    id: platform.id,
    issuer: platform.issuer,
    clientId: platform.clientId,
    tokenUrl: platform.tokenUrl,
    deploymentId: platform.deploymentId,
    keyId: platform.keyId,
    publicJwk: platform.publicJwk,
    jwksUrl: jwksPath(platform.tenantId),
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
