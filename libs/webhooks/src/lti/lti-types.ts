// LTI 1.3 Assignment and Grade Services (AGS 2.0) as the tool sees them. The platform registers the
// tool's public key (JWK) and gives it a client id, a token URL and, per resource link, a line item
// URL (https://www.imsglobal.org/spec/lti-ags/v2p0).
import type { KeyObject } from 'node:crypto';

export const AGS_SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const SCORE_CONTENT_TYPE = 'application/vnd.ims.lis.v1.score+json';

export interface LtiPlatformRegistration {
  /** OAuth 2 token endpoint of the platform. */
  tokenUrl: string;
  /** The client id the platform assigned to the tool: the assertion's `iss` and `sub`. */
  clientId: string;
  /** The assertion's `aud`; platforms commonly expect the token URL (the default). */
  audience?: string;
  /** The tool's RS256 private key and the `kid` of its public JWK registered with the platform. */
  privateKey: KeyObject;
  keyId: string;
}

/** The AGS score body (AGS 2.0 §3.4 "Score publish service"). */
export interface AgsScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  /** ISO 8601 with timezone; platforms ignore scores older than the last one they kept. */
  timestamp: string;
  comment?: string;
}

export type LtiStage = 'token' | 'score' | 'lineitem';

export type PassbackOutcome =
  | { ok: true; statusCode: number }
  | { ok: false; stage: LtiStage; errorClass: string; statusCode?: number; message: string };
