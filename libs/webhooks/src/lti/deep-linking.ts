// The tool's answer to an LtiDeepLinkingRequest (Deep Linking 2.0 §4.2,
// https://www.imsglobal.org/spec/lti-dl/v2p0#deep-linking-response-message): a JWT signed with the
// tool's key, iss = the client id, aud = the platform's issuer, the request's deployment id and
// `data` echoed back, and one `ltiResourceLink` content item whose `lineItem` makes the platform
// create the gradebook column the scores are later posted to.
import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { LTI_CLAIMS, LTI_MESSAGE_TYPES, LTI_VERSION } from './lti-claims';

export interface DeepLinkResourceLink {
  title: string;
  text?: string;
  /** Where the platform launches the link (netplay's launch URL). */
  url: string;
  /** Custom parameters the platform sends back in each launch of the link. */
  custom: Record<string, string>;
  scoreMaximum: number;
  /** The line item's label in the gradebook. */
  label: string;
  resourceId: string;
  tag?: string;
}

export interface DeepLinkingResponseInput {
  clientId: string;
  platformIssuer: string;
  deploymentId: string;
  data?: string;
  item: DeepLinkResourceLink;
  message?: string;
  keyId: string;
  privateKey: KeyObject;
  /** Seconds since the epoch. */
  now: number;
}

const RESPONSE_LIFETIME_SECONDS = 300;

export function signDeepLinkingResponse(input: DeepLinkingResponseInput): Promise<string> {
  const { item } = input;
  const contentItem = {
    type: 'ltiResourceLink',
    title: item.title,
    ...(item.text ? { text: item.text } : {}),
    url: item.url,
    custom: item.custom,
    lineItem: {
      scoreMaximum: item.scoreMaximum,
      label: item.label,
      resourceId: item.resourceId,
      ...(item.tag ? { tag: item.tag } : {}),
    },
  };
  return new SignJWT({
    nonce: randomUUID(),
    [LTI_CLAIMS.messageType]: LTI_MESSAGE_TYPES.deepLinkingResponse,
    [LTI_CLAIMS.version]: LTI_VERSION,
    [LTI_CLAIMS.deploymentId]: input.deploymentId,
    [LTI_CLAIMS.deepLinkingContentItems]: [contentItem],
    ...(input.data !== undefined ? { [LTI_CLAIMS.deepLinkingData]: input.data } : {}),
    ...(input.message ? { [LTI_CLAIMS.deepLinkingMessage]: input.message } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: input.keyId, typ: 'JWT' })
    .setIssuer(input.clientId)
    .setAudience(input.platformIssuer)
    .setIssuedAt(input.now)
    .setExpirationTime(input.now + RESPONSE_LIFETIME_SECONDS)
    .sign(input.privateKey);
}
