// Names and Role Provisioning Services 2.0 (https://www.imsglobal.org/spec/lti-nrps/v2p0): the
// members of the launch's context, read with a client-credentials token for the memberships scope.
// A platform may page its answer (§2.4.2): each page names the next in `Link: <url>; rel="next"`.
// The pages are followed within bounds (MAX_MEMBERSHIP_PAGES pages of at most 1 MiB each,
// MAX_MEMBERS members), and only on the memberships URL's own origin: the bearer token goes
// nowhere else.
import { sendGuardedRequest } from '../guarded-http';
import { requestAccessToken, type AgsClientOptions } from './ags-client';
import { LTI_SCOPES, NRPS_MEMBERSHIPS_MEDIA_TYPE } from './lti-claims';
import type { LtiPlatformRegistration, PassbackOutcome } from './lti-types';

const MEMBERSHIPS_MAX_BYTES = 1024 * 1024;
/** Members kept in all (a large course; more are left out and the result says `truncated`). */
export const MAX_MEMBERS = 5_000;
/** Pages followed at most (Canvas pages 10 to 50 members by default, Moodle answers in one). */
export const MAX_MEMBERSHIP_PAGES = 50;

export interface ContextMember {
  userId: string;
  roles: string[];
  status: string;
  name?: string;
}

export type MembershipsFailure =
  | Extract<PassbackOutcome, { ok: false }>
  | { ok: false; stage: 'memberships'; errorClass: string; message: string; statusCode?: number };

export type MembershipsResult =
  | {
      ok: true;
      members: ContextMember[];
      pages: number;
      /** True when a cap (members or pages) stopped the reading before the last page. */
      truncated: boolean;
    }
  | MembershipsFailure;

export async function readContextMembers(
  registration: LtiPlatformRegistration,
  membershipsUrl: string,
  options: AgsClientOptions,
): Promise<MembershipsResult> {
  const token = await requestAccessToken(registration, LTI_SCOPES.memberships, options);
  if (!token.ok) return token;
  const origin = new URL(membershipsUrl).origin;
  const members: ContextMember[] = [];
  let next: string | undefined = membershipsUrl;
  let pages = 0;
  while (next !== undefined) {
    if (pages === MAX_MEMBERSHIP_PAGES || members.length >= MAX_MEMBERS)
      return { ok: true, members: members.slice(0, MAX_MEMBERS), pages, truncated: true };
    const page = await readPage(next, token.accessToken, options);
    if (!page.ok) return page;
    pages += 1;
    members.push(...page.members);
    next = page.next;
    if (next !== undefined && safeOrigin(next) !== origin)
      return membershipsFailure(
        'invalid_response',
        `the next page ${next} is not on the memberships service's origin ${origin}`,
      );
  }
  return {
    ok: true,
    members: members.slice(0, MAX_MEMBERS),
    pages,
    truncated: members.length > MAX_MEMBERS,
  };
}

type PageResult = { ok: true; members: ContextMember[]; next?: string } | MembershipsFailure;

async function readPage(
  url: string,
  accessToken: string,
  options: AgsClientOptions,
): Promise<PageResult> {
  const response = await sendGuardedRequest({
    url,
    method: 'GET',
    headers: { accept: NRPS_MEMBERSHIPS_MEDIA_TYPE, authorization: `Bearer ${accessToken}` },
    policy: options.policy,
    maxBodyBytes: MEMBERSHIPS_MAX_BYTES,
  });
  if (response.errorClass)
    return membershipsFailure(
      response.errorClass,
      response.message ?? `HTTP ${response.statusCode}`,
      response.statusCode,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const members = (parsed as { members?: unknown } | undefined)?.members;
  if (!Array.isArray(members))
    return membershipsFailure('invalid_response', 'the memberships answer has no members list');
  const link = response.headers?.link;
  const next = nextLink(Array.isArray(link) ? link.join(', ') : link, url);
  return {
    ok: true,
    members: members
      .slice(0, MAX_MEMBERS)
      .filter(
        (member): member is Record<string, unknown> =>
          typeof member === 'object' && member !== null && typeof member.user_id === 'string',
      )
      .map((member) => ({
        userId: member.user_id as string,
        roles: Array.isArray(member.roles)
          ? member.roles.filter((role): role is string => typeof role === 'string')
          : [],
        status: typeof member.status === 'string' ? member.status : 'Active',
        ...(typeof member.name === 'string' ? { name: member.name } : {}),
      })),
    ...(next === undefined ? {} : { next }),
  };
}

/**
 * The `rel="next"` target of an RFC 8288 `Link` header (`<url>; rel="next", <url>; rel="prev"`),
 * resolved against the page's URL; undefined when there is none or it is not a URL.
 */
export function nextLink(header: string | undefined, base: string): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const relations = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
    const rel = (relations?.[1] ?? relations?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('next')) continue;
    try {
      return new URL(match[1] ?? '', base).toString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function membershipsFailure(
  errorClass: string,
  message: string,
  statusCode?: number,
): MembershipsFailure {
  return {
    ok: false,
    stage: 'memberships',
    errorClass,
    message,
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}
