// The line item a launch's scores go to. A launch normally names it (AGS endpoint claim
// `lineitem`, or the one deep linking made); a launch that carries only the container
// (`lineitems`) gets the line item of its resource link, found in the container or created there
// (AGS 2.0 §3.2), and remembers it on the launch. Tried at the launch and again at each
// submission until it succeeds, so a platform that was briefly unreachable loses no grade.
// The first launches of a link often arrive together (a class starting at once, on several API
// processes): a lease row in the database lets one of them ask the platform while the others wait
// briefly for its answer, so the gradebook gets one column, not one per launch.
import type {
  LineItemClaim,
  LtiLaunchRecord,
  LtiLaunchRepository,
  LtiPlatformRepository,
  ResourceLinkLineItems,
} from '@netplay/db';
import type { SsrfPolicy } from '@netplay/webhooks';
import {
  AGS_SCORE_SCOPE,
  findOrCreateLineItem,
  LTI_SCOPES,
  platformRegistrationOf,
} from '@netplay/webhooks';

/** What finding a launch's line item needs: the launches, the platforms and the outbound guard. */
export interface LineItemDeps {
  ltiLaunches: LtiLaunchRepository;
  ltiPlatforms: LtiPlatformRepository;
  policy: SsrfPolicy;
}

export type LaunchLineItem = { ok: true; lineItemUrl: string } | { ok: false; reason: string };

/** The tag of line items netplay creates (AGS: the tool's own qualifier of a line item). */
export const LINE_ITEM_TAG = 'netplay';

export interface LineItemLeaseOptions {
  /**
   * A lease held this long without an answer is taken over: longer than a holder's platform calls
   * can take (a token and two AGS requests, each bounded by the outbound timeouts).
   */
  staleAfterMs: number;
  /** How long a launch waits for another launch's answer before it opens without a line item. */
  waitMs: number;
}

export const DEFAULT_LINE_ITEM_LEASE: LineItemLeaseOptions = {
  staleAfterMs: 60_000,
  waitMs: 3_000,
};
/** Between two looks at another holder's lease. */
const LEASE_POLL_MS = 100;

/** The exercise a line item is for; `points` (every check's, from its digest) is its scoreMaximum. */
export interface LineItemExercise {
  id: string;
  title: string;
  points: number;
}

export async function launchLineItem(
  deps: LineItemDeps,
  launch: LtiLaunchRecord,
  exercise: LineItemExercise,
  lease: LineItemLeaseOptions = DEFAULT_LINE_ITEM_LEASE,
): Promise<LaunchLineItem> {
  if (launch.lineItemUrl) return { ok: true, lineItemUrl: launch.lineItemUrl };
  if (!launch.agsScopes.includes(AGS_SCORE_SCOPE))
    return { ok: false, reason: 'the launch did not grant the AGS score scope' };
  if (!launch.lineItemsUrl || !launch.resourceLinkId)
    return { ok: false, reason: 'the launch names no line item and no line item container' };
  const mayCreate = launch.agsScopes.includes(LTI_SCOPES.lineItem);
  if (!mayCreate && !launch.agsScopes.includes(LTI_SCOPES.lineItemReadOnly))
    return { ok: false, reason: 'the launch granted no line item scope to find its line item' };
  const link: ResourceLinkLineItems = {
    tenantId: launch.tenantId,
    platformId: launch.platformId,
    lineItemsUrl: launch.lineItemsUrl,
    resourceLinkId: launch.resourceLinkId,
  };
  const known = await deps.ltiLaunches.lineItemOfResourceLink(
    link.tenantId,
    link.platformId,
    link.lineItemsUrl,
    link.resourceLinkId,
  );
  if (known) return remembered(deps, launch, known);
  const claim = await claimOrWait(deps, link, lease);
  if (claim.kind === 'known') return remembered(deps, launch, claim.lineItemUrl);
  if (claim.kind === 'held')
    return { ok: false, reason: 'another launch of the resource link is asking the platform' };
  const found = await askPlatform(deps, launch, link, exercise, mayCreate).catch(
    async (error: unknown) => {
      await deps.ltiLaunches.releaseLineItem(link, claim.holder);
      throw error;
    },
  );
  if (!found.ok) {
    await deps.ltiLaunches.releaseLineItem(link, claim.holder);
    return found;
  }
  return remembered(deps, launch, await deps.ltiLaunches.recordLineItem(link, found.lineItemUrl));
}

async function remembered(
  deps: LineItemDeps,
  launch: LtiLaunchRecord,
  lineItemUrl: string,
): Promise<LaunchLineItem> {
  await deps.ltiLaunches.setLineItem(launch.id, lineItemUrl);
  return { ok: true, lineItemUrl };
}

/**
 * Claims the link's lease, or while another launch holds it, looks again until the holder records
 * the line item, gives the lease up (the holder's platform failed: this launch claims it and asks),
 * or `waitMs` passed (still held).
 */
async function claimOrWait(
  deps: LineItemDeps,
  link: ResourceLinkLineItems,
  lease: LineItemLeaseOptions,
): Promise<LineItemClaim> {
  let claim = await deps.ltiLaunches.claimLineItem(link, lease.staleAfterMs);
  for (let waited = 0; claim.kind === 'held' && waited < lease.waitMs; waited += LEASE_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
    claim = await deps.ltiLaunches.claimLineItem(link, lease.staleAfterMs);
  }
  return claim;
}

/** The lease holder's calls: find the link's line item in the container, or create it there. */
async function askPlatform(
  deps: LineItemDeps,
  launch: LtiLaunchRecord,
  link: ResourceLinkLineItems,
  exercise: LineItemExercise,
  mayCreate: boolean,
): Promise<LaunchLineItem> {
  const platform = await deps.ltiPlatforms.getForPassback(launch.tenantId, launch.platformId);
  if (!platform) return { ok: false, reason: "the launch's LTI platform is gone" };
  const found = await findOrCreateLineItem(
    platformRegistrationOf(platform),
    {
      lineItemsUrl: link.lineItemsUrl,
      resourceLinkId: link.resourceLinkId,
      scoreMaximum: exercise.points,
      label: exercise.title,
      resourceId: exercise.id,
      tag: LINE_ITEM_TAG,
      mayCreate,
    },
    { policy: deps.policy },
  );
  if (!found.ok)
    return { ok: false, reason: `${found.stage}: ${found.errorClass}: ${found.message}` };
  return { ok: true, lineItemUrl: found.lineItemUrl };
}
