// Score passback: OAuth 2 client credentials with a signed JWT assertion (RFC 7523, as the LTI 1.3
// Security Framework §4.1 prescribes), then one POST of the score to `<lineitem>/scores`. Both
// requests go through the SSRF guard: platform URLs come from tenant configuration too.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { sendGuardedRequest, type GuardedResponse } from '../guarded-http';
import type { SsrfPolicy } from '../ssrf-guard';
import {
  AGS_SCORE_SCOPE,
  CLIENT_ASSERTION_TYPE,
  SCORE_CONTENT_TYPE,
  type AgsScore,
  type LtiPlatformRegistration,
  type PassbackOutcome,
} from './lti-types';

/** Token responses carry a JWT or opaque token; 16 KiB is far above what platforms send. */
const TOKEN_RESPONSE_MAX_BYTES = 16 * 1024;
const ASSERTION_LIFETIME_SECONDS = 300;

export interface AgsClientOptions {
  policy: SsrfPolicy;
  now?: () => Date;
}

export type TokenResult =
  { ok: true; accessToken: string } | Extract<PassbackOutcome, { ok: false }>;

/** The client assertion: iss = sub = client id, aud = the token endpoint, short-lived, unique jti. */
export async function clientAssertion(
  registration: LtiPlatformRegistration,
  now: Date,
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: registration.keyId, typ: 'JWT' })
    .setIssuer(registration.clientId)
    .setSubject(registration.clientId)
    .setAudience(registration.audience ?? registration.tokenUrl)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(registration.privateKey);
}

export function requestScoreToken(
  registration: LtiPlatformRegistration,
  options: AgsClientOptions,
): Promise<TokenResult> {
  return requestAccessToken(registration, AGS_SCORE_SCOPE, options);
}

/** An access token for space-separated `scope` (client credentials, Security Framework §4.1). */
export async function requestAccessToken(
  registration: LtiPlatformRegistration,
  scope: string,
  options: AgsClientOptions,
): Promise<TokenResult> {
  const now = (options.now ?? (() => new Date()))();
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: await clientAssertion(registration, now),
    scope,
  });
  const response = await sendGuardedRequest({
    url: registration.tokenUrl,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    policy: options.policy,
    maxBodyBytes: TOKEN_RESPONSE_MAX_BYTES,
  });
  if (response.errorClass) return failed('token', response);
  const accessToken = parseAccessToken(response.body);
  if (!accessToken)
    return {
      ok: false,
      stage: 'token',
      errorClass: 'invalid_token_response',
      statusCode: response.statusCode,
      message: 'token response has no access_token',
    };
  return { ok: true, accessToken };
}

/** `<lineitem>/scores`, keeping the line item URL's query string (AGS 2.0 §3.4). */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

export async function postScore(
  lineItemUrl: string,
  accessToken: string,
  score: AgsScore,
  options: AgsClientOptions,
): Promise<PassbackOutcome> {
  const response = await sendGuardedRequest({
    url: scoresUrl(lineItemUrl),
    method: 'POST',
    headers: { 'content-type': SCORE_CONTENT_TYPE, authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(score),
    policy: options.policy,
  });
  return response.errorClass
    ? failed('score', response)
    : { ok: true, statusCode: response.statusCode ?? 0 };
}

export interface GradePassback {
  lineItemUrl: string;
  /** The platform's user id from the launch (`sub` of the id_token). */
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment?: string;
}

/** Token, then score: the whole passback of one graded submission. */
export async function passBackScore(
  registration: LtiPlatformRegistration,
  grade: GradePassback,
  options: AgsClientOptions,
): Promise<PassbackOutcome> {
  const token = await requestScoreToken(registration, options);
  if (!token.ok) return token;
  const now = (options.now ?? (() => new Date()))();
  const score: AgsScore = {
    userId: grade.userId,
    scoreGiven: grade.scoreGiven,
    scoreMaximum: grade.scoreMaximum,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: now.toISOString(),
    ...(grade.comment !== undefined ? { comment: grade.comment } : {}),
  };
  return postScore(grade.lineItemUrl, token.accessToken, score, options);
}

function parseAccessToken(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'access_token' in parsed &&
      typeof parsed.access_token === 'string'
    )
      return parsed.access_token;
  } catch {
    // Not JSON: reported as an invalid token response below.
  }
  return undefined;
}

function failed(
  stage: 'token' | 'score',
  response: GuardedResponse,
): Extract<PassbackOutcome, { ok: false }> {
  return {
    ok: false,
    stage,
    errorClass: response.errorClass ?? 'unknown',
    statusCode: response.statusCode,
    message:
      response.message ?? `HTTP ${response.statusCode}: ${response.bodyExcerpt.slice(0, 200)}`,
  };
}
