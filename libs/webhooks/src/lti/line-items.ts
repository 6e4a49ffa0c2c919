// AGS 2.0 line item service (https://www.imsglobal.org/spec/lti-ags/v2p0 §3.2): when a launch
// carries only the container (`lineitems`), the tool finds the line item of its resource link
// (`GET lineitems?resource_link_id=…`) or, with the `lineitem` scope, creates one (`POST`), and
// posts scores to that. Requests go through the SSRF guard like every call to a platform.
import { sendGuardedRequest } from '../guarded-http';
import { requestAccessToken, type AgsClientOptions } from './ags-client';
import { LTI_SCOPES } from './lti-claims';
import type { LtiPlatformRegistration, PassbackOutcome } from './lti-types';

export const LINE_ITEM_MEDIA_TYPE = 'application/vnd.ims.lis.v2.lineitem+json';
export const LINE_ITEM_CONTAINER_MEDIA_TYPE = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
/** A resource link has one or a few line items; a page of 64 KiB holds hundreds. */
const LINE_ITEMS_MAX_BYTES = 64 * 1024;

export interface LineItemRequest {
  /** The AGS endpoint claim's `lineitems` (the container). */
  lineItemsUrl: string;
  resourceLinkId: string;
  /** What a created line item holds (scoreMaximum > 0, a label; resourceId and tag are the tool's). */
  scoreMaximum: number;
  label: string;
  resourceId: string;
  tag: string;
  /** The launch granted the `lineitem` scope: a missing line item may be created. */
  mayCreate: boolean;
}

export type LineItemFailure = Extract<PassbackOutcome, { ok: false }>;
export type LineItemResult = { ok: true; lineItemUrl: string; created: boolean } | LineItemFailure;

/** The line item of the request's resource link: found in the container, else created. */
export async function findOrCreateLineItem(
  registration: LtiPlatformRegistration,
  request: LineItemRequest,
  options: AgsClientOptions,
): Promise<LineItemResult> {
  const scope = request.mayCreate ? LTI_SCOPES.lineItem : LTI_SCOPES.lineItemReadOnly;
  const token = await requestAccessToken(registration, scope, options);
  if (!token.ok) return token;
  const authorization = `Bearer ${token.accessToken}`;
  const listed = await sendGuardedRequest({
    url: withQuery(request.lineItemsUrl, { resource_link_id: request.resourceLinkId }),
    method: 'GET',
    headers: { accept: LINE_ITEM_CONTAINER_MEDIA_TYPE, authorization },
    policy: options.policy,
    maxBodyBytes: LINE_ITEMS_MAX_BYTES,
  });
  if (listed.errorClass) return failed(listed.errorClass, listed.message, listed.statusCode);
  const items = parseJson(listed.body);
  if (!Array.isArray(items))
    return failed('invalid_response', 'the line item container answered no JSON array');
  // Platforms filter by resource_link_id; the check below keeps a platform that ignores the
  // filter from handing out another link's line item.
  const found = items.find(
    (item: unknown) =>
      isRecord(item) &&
      typeof item.id === 'string' &&
      (item.resourceLinkId === undefined || item.resourceLinkId === request.resourceLinkId),
  ) as { id: string } | undefined;
  if (found) return checkedUrl(found.id, request.lineItemsUrl, false);
  if (!request.mayCreate)
    return failed('no_line_item', 'no line item for the resource link, and no scope to create one');
  if (!(request.scoreMaximum > 0))
    return failed(
      'no_line_item',
      'a line item needs a scoreMaximum above 0 (the exercise has no points)',
    );
  const created = await sendGuardedRequest({
    url: request.lineItemsUrl,
    method: 'POST',
    headers: {
      'content-type': LINE_ITEM_MEDIA_TYPE,
      accept: LINE_ITEM_MEDIA_TYPE,
      authorization,
    },
    body: JSON.stringify({
      scoreMaximum: request.scoreMaximum,
      label: request.label,
      resourceId: request.resourceId,
      tag: request.tag,
      resourceLinkId: request.resourceLinkId,
    }),
    policy: options.policy,
    maxBodyBytes: LINE_ITEMS_MAX_BYTES,
  });
  if (created.errorClass) return failed(created.errorClass, created.message, created.statusCode);
  const item = parseJson(created.body);
  if (!isRecord(item) || typeof item.id !== 'string')
    return failed('invalid_response', 'the created line item has no id');
  return checkedUrl(item.id, request.lineItemsUrl, true);
}

/**
 * A line item's id is its URL, where scores are posted with a bearer token: it must be on the
 * container's origin, so a platform answer cannot send the token elsewhere.
 */
function checkedUrl(id: string, lineItemsUrl: string, created: boolean): LineItemResult {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return failed('invalid_response', `the line item id ${id} is not a URL`);
  }
  if (url.origin !== new URL(lineItemsUrl).origin)
    return failed('invalid_response', `the line item ${id} is not on the container's origin`);
  return { ok: true, lineItemUrl: url.toString(), created };
}

/** The URL with `params` added to its query string (a container URL may carry its own). */
function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function failed(errorClass: string, message?: string, statusCode?: number): LineItemFailure {
  return {
    ok: false,
    stage: 'lineitem',
    errorClass,
    message: message ?? `HTTP ${statusCode}`,
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}
