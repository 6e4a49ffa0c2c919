// Validation of a launch's id_token, in the order of the LTI 1.3 Security Framework §5.1.3
// (https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation) and the LTI
// Core message rules (§5.3-5.4): signature (RS256) against the platform's JWKS, `iss`, `aud`
// holding the client id (`azp` equal to it when present or when `aud` names several), `exp`/`iat`
// within a small clock skew, the nonce the login put in the state, then the LTI claims: version,
// message type, a known deployment id. Every refusal is a reason code with a sentence; the caller
// shows the sentence and logs both.
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import { LTI_CLAIMS, LTI_MESSAGE_TYPES, LTI_VERSION } from './lti-claims';

export type LaunchRefusalReason =
  | 'malformed_token'
  | 'bad_signature'
  | 'unknown_key'
  | 'platform_keys_unavailable'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'issued_in_future'
  | 'nonce_mismatch'
  | 'nonce_replayed'
  | 'missing_state'
  | 'bad_state'
  | 'state_mismatch'
  | 'unknown_platform'
  | 'unknown_deployment'
  | 'wrong_message_type'
  | 'wrong_version'
  | 'missing_claim';

export interface LaunchRefusal {
  ok: false;
  reason: LaunchRefusalReason;
  message: string;
}

/** The claims netplay reads from a launch, checked for type. */
export interface LaunchClaims {
  messageType: string;
  deploymentId: string;
  subject: string;
  nonce: string;
  expiresAt: number;
  name?: string;
  email?: string;
  roles: string[];
  targetLinkUri?: string;
  resourceLinkId?: string;
  contextId?: string;
  custom: Record<string, string>;
  ags?: { lineItem?: string; lineItems?: string; scope: string[] };
  nrps?: { membershipsUrl: string };
  deepLinking?: { returnUrl: string; data?: string; acceptTypes: string[] };
}

export interface PlatformKeySource {
  /** The platform's key set (cached). */
  keys(): Promise<{ ok: true; keys: JSONWebKeySet } | { ok: false; message: string }>;
  /** A fresh set for a key id the cached one lacks; undefined when a refetch is not allowed now. */
  refetch(): Promise<
    { ok: true; keys: JSONWebKeySet } | { ok: false; message: string } | undefined
  >;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The nonce the login initiation sent (from the state). */
  nonce: string;
  deploymentIds: readonly string[];
  messageTypes: readonly string[];
  /** Seconds since the epoch. */
  now: number;
  clockSkewSeconds?: number;
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

const refuse = (reason: LaunchRefusalReason, message: string): LaunchRefusal => ({
  ok: false,
  reason,
  message,
});

export async function validateIdToken(
  idToken: string,
  keys: PlatformKeySource,
  expect: IdTokenExpectations,
): Promise<{ ok: true; claims: LaunchClaims } | LaunchRefusal> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(idToken);
  } catch {
    return refuse('malformed_token', 'the id_token is not a JWT');
  }
  if (header.alg !== 'RS256')
    return refuse('bad_signature', `the id_token is signed with ${header.alg}, not RS256`);
  const verified = await verifySignature(idToken, keys, expect);
  if (!verified.ok) return verified;
  return readClaims(verified.payload, expect);
}

async function verifySignature(
  idToken: string,
  keys: PlatformKeySource,
  expect: IdTokenExpectations,
): Promise<{ ok: true; payload: JWTPayload } | LaunchRefusal> {
  const verify = (set: JSONWebKeySet) =>
    jwtVerify(idToken, createLocalJWKSet(set), {
      algorithms: ['RS256'],
      issuer: expect.issuer,
      clockTolerance: expect.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
      currentDate: new Date(expect.now * 1000),
      requiredClaims: ['exp', 'iat', 'sub', 'aud', 'nonce'],
    });
  const cached = await keys.keys();
  if (!cached.ok) return refuse('platform_keys_unavailable', cached.message);
  try {
    return await checkAudience(await verify(cached.keys), expect);
  } catch (error) {
    if (!(error instanceof errors.JWKSNoMatchingKey)) return refusalOf(error);
  }
  // A key id the cached set lacks: the platform may have rotated its keys (Security Framework §6.3).
  const fresh = await keys.refetch();
  if (!fresh) return refuse('unknown_key', "the id_token's key id is not in the platform's JWKS");
  if (!fresh.ok) return refuse('platform_keys_unavailable', fresh.message);
  try {
    return await checkAudience(await verify(fresh.keys), expect);
  } catch (error) {
    return refusalOf(error);
  }
}

function checkAudience(
  result: { payload: JWTPayload },
  expect: IdTokenExpectations,
): { ok: true; payload: JWTPayload } | LaunchRefusal {
  const { payload } = result;
  // jose checks `iat` only against a maximum age; a token dated ahead of the clock (beyond the
  // skew) is refused here, as Security Framework §5.1.3 step 7 allows.
  if (
    typeof payload.iat === 'number' &&
    payload.iat > expect.now + (expect.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS)
  )
    return refuse('issued_in_future', 'the id_token is dated in the future');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(expect.clientId))
    return refuse(
      'wrong_audience',
      `the id_token's audience does not name client ${expect.clientId}`,
    );
  const azp = payload.azp;
  if ((audiences.length > 1 || azp !== undefined) && azp !== expect.clientId)
    return refuse('wrong_audience', `the id_token's azp is not client ${expect.clientId}`);
  return { ok: true, payload };
}

function refusalOf(error: unknown): LaunchRefusal {
  if (error instanceof errors.JWKSNoMatchingKey)
    return refuse('unknown_key', "the id_token's key id is not in the platform's JWKS");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return refuse('bad_signature', "the id_token's signature does not verify");
  if (error instanceof errors.JWTExpired) return refuse('expired', 'the id_token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return refuse('wrong_issuer', "the id_token's issuer is not the registered platform");
    if (error.claim === 'iat' || error.claim === 'nbf')
      return refuse('issued_in_future', 'the id_token is dated in the future');
    return refuse('missing_claim', `the id_token's ${error.claim} claim is missing or invalid`);
  }
  if (error instanceof errors.JOSEError)
    return refuse('malformed_token', `the id_token is invalid (${error.code})`);
  throw error;
}

function readClaims(
  payload: JWTPayload,
  expect: IdTokenExpectations,
): { ok: true; claims: LaunchClaims } | LaunchRefusal {
  const claim = (name: string): unknown => payload[name];
  if (payload.nonce !== expect.nonce)
    return refuse('nonce_mismatch', "the id_token's nonce is not the one this login sent");
  if (claim(LTI_CLAIMS.version) !== LTI_VERSION)
    return refuse('wrong_version', `the launch is not LTI ${LTI_VERSION}`);
  const messageType = claim(LTI_CLAIMS.messageType);
  if (typeof messageType !== 'string' || !expect.messageTypes.includes(messageType))
    return refuse(
      'wrong_message_type',
      `message type ${String(messageType)} is not one netplay accepts here (${expect.messageTypes.join(', ')})`,
    );
  const deploymentId = claim(LTI_CLAIMS.deploymentId);
  if (typeof deploymentId !== 'string' || !expect.deploymentIds.includes(deploymentId))
    return refuse(
      'unknown_deployment',
      `deployment ${String(deploymentId)} is not registered for this platform`,
    );
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255)
    return refuse('missing_claim', 'the launch has no user (sub)');
  const roles = claim(LTI_CLAIMS.roles);
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string'))
    return refuse('missing_claim', `the launch has no ${LTI_CLAIMS.roles} claim`);
  const resourceLink = record(claim(LTI_CLAIMS.resourceLink));
  const resourceLinkId = text(resourceLink?.id);
  if (messageType === LTI_MESSAGE_TYPES.resourceLink && !resourceLinkId)
    return refuse('missing_claim', `the launch has no ${LTI_CLAIMS.resourceLink} id`);
  const settings = record(claim(LTI_CLAIMS.deepLinkingSettings));
  const returnUrl = text(settings?.deep_link_return_url);
  if (messageType === LTI_MESSAGE_TYPES.deepLinkingRequest && !returnUrl)
    return refuse('missing_claim', `the request has no deep_link_return_url`);
  const ags = record(claim(LTI_CLAIMS.ags));
  const nrps = record(claim(LTI_CLAIMS.nrps));
  const membershipsUrl = text(nrps?.context_memberships_url);
  const custom = Object.fromEntries(
    Object.entries(record(claim(LTI_CLAIMS.custom)) ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return {
    ok: true,
    claims: {
      messageType,
      deploymentId,
      subject,
      nonce: expect.nonce,
      expiresAt: payload.exp as number,
      name: text(payload.name),
      email: text(payload.email),
      roles: roles as string[],
      targetLinkUri: text(claim(LTI_CLAIMS.targetLinkUri)),
      resourceLinkId,
      contextId: text(record(claim(LTI_CLAIMS.context))?.id),
      custom,
      ags: ags
        ? {
            lineItem: text(ags.lineitem),
            lineItems: text(ags.lineitems),
            scope: Array.isArray(ags.scope) ? ags.scope.filter((s) => typeof s === 'string') : [],
          }
        : undefined,
      nrps: membershipsUrl ? { membershipsUrl } : undefined,
      deepLinking: returnUrl
        ? {
            returnUrl,
            data: text(settings?.data),
            acceptTypes: Array.isArray(settings?.accept_types)
              ? settings.accept_types.filter((s: unknown) => typeof s === 'string')
              : [],
          }
        : undefined,
    },
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
