// LTI 1.3 launches: single-use nonces, the launches netplay accepted, and the sealed values that
// travel through the browser (the OIDC state, dynamic-registration links, deep-linking picks).
// Sealing uses the secret cipher (AES-256-GCM, authenticated): what comes back is exactly what the
// tool issued, unread and unchanged by the browser or the platform, and any API process of the
// deployment can open it (no server-side session, so no cookie is needed inside the LMS's iframe).
import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client';
import { isUuid } from '@netplay/contracts';
import { isUniqueViolation } from './prisma-errors';
import type { SecretCipher } from './secret-cipher';

export interface NewLtiLaunch {
  tenantId: string;
  platformId: string;
  deploymentId: string;
  messageType: string;
  subject: string;
  name?: string;
  email?: string;
  roles: string[];
  instructor: boolean;
  contextId?: string;
  resourceLinkId?: string;
  exerciseId?: string;
  lineItemUrl?: string;
  lineItemsUrl?: string;
  agsScopes: string[];
  membershipsUrl?: string;
  deepLinkReturnUrl?: string;
  deepLinkData?: string;
}

export interface LtiLaunchRecord extends Required<
  Pick<NewLtiLaunch, 'tenantId' | 'platformId' | 'deploymentId' | 'messageType' | 'subject'>
> {
  id: string;
  name: string | null;
  email: string | null;
  roles: string[];
  instructor: boolean;
  contextId: string | null;
  resourceLinkId: string | null;
  exerciseId: string | null;
  lineItemUrl: string | null;
  lineItemsUrl: string | null;
  agsScopes: string[];
  membershipsUrl: string | null;
  deepLinkReturnUrl: string | null;
  deepLinkData: string | null;
  learnerSessionId: string | null;
  createdAt: Date;
}

/** A resource link's line item container, as one launch of it names it. */
export interface ResourceLinkLineItems {
  tenantId: string;
  platformId: string;
  /** The AGS endpoint claim's `lineitems`. */
  lineItemsUrl: string;
  resourceLinkId: string;
}

/**
 * known: the link's line item was found or created before; claimed: the caller holds the lease and
 * asks the platform (then `recordLineItem` or `releaseLineItem` with `holder`); held: another
 * launch is asking the platform now.
 */
export type LineItemClaim =
  { kind: 'known'; lineItemUrl: string } | { kind: 'claimed'; holder: string } | { kind: 'held' };

/** Nonces of launches older than this are gone from the table; their id_tokens expired long before. */
const NONCE_SWEEP_BATCH = 500;

export class LtiLaunchRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: SecretCipher,
  ) {}

  /** Seals `payload` for one `purpose` (a value sealed for one purpose does not open for another). */
  seal(purpose: string, payload: object): string {
    return this.cipher.encrypt(JSON.stringify(payload), `lti:${purpose}`);
  }

  /** The sealed payload, or undefined when it was not sealed by this deployment for `purpose`. */
  open(purpose: string, sealed: string): unknown {
    try {
      return JSON.parse(this.cipher.decrypt(sealed, `lti:${purpose}`)) as unknown;
    } catch {
      return undefined;
    }
  }

  /**
   * Records the nonce as used; false when it was used before (a replayed id_token). Expired nonces
   * are swept on the way, a bounded batch at a time.
   */
  async consumeNonce(
    platformId: string,
    nonce: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    await this.prisma.$executeRaw`
      DELETE FROM lti_nonce WHERE ctid IN (
        SELECT ctid FROM lti_nonce WHERE expires_at < ${now} LIMIT ${NONCE_SWEEP_BATCH})`;
    try {
      await this.prisma.ltiNonce.create({ data: { platformId, nonce, expiresAt } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async record(launch: NewLtiLaunch): Promise<LtiLaunchRecord> {
    return this.prisma.ltiLaunch.create({
      data: {
        id: randomUUID(),
        ...launch,
      },
    });
  }

  async get(tenantId: string, id: string): Promise<LtiLaunchRecord | undefined> {
    if (!isUuid(id) || !isUuid(tenantId)) return undefined;
    return (await this.prisma.ltiLaunch.findFirst({ where: { id, tenantId } })) ?? undefined;
  }

  /** Binds a resource-link launch to the exercise and the learner session it opened. */
  async bindSession(id: string, exerciseId: string, learnerSessionId: string): Promise<void> {
    await this.prisma.ltiLaunch.update({ where: { id }, data: { exerciseId, learnerSessionId } });
  }

  /** Records the line item netplay found or created for a launch that carried only `lineitems`. */
  async setLineItem(id: string, lineItemUrl: string): Promise<void> {
    await this.prisma.ltiLaunch.update({ where: { id }, data: { lineItemUrl } });
  }

  /**
   * The line item an earlier launch of the same resource link (same platform and line item
   * container) already has, so the platform is asked once per link rather than once per learner.
   */
  async lineItemOfResourceLink(
    tenantId: string,
    platformId: string,
    lineItemsUrl: string,
    resourceLinkId: string,
  ): Promise<string | undefined> {
    const row = await this.prisma.ltiLaunch.findFirst({
      where: { tenantId, platformId, lineItemsUrl, resourceLinkId, lineItemUrl: { not: null } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { lineItemUrl: true },
    });
    return row?.lineItemUrl ?? undefined;
  }

  /**
   * Claims the right to ask the platform for the link's line item, once across processes: the
   * first INSERT wins; a claim whose holder has not answered within `staleAfterMs` (it crashed, or
   * its platform hung) is taken over. Single statements, no transaction held while the holder
   * calls the platform. The lease's age is measured on the database's clock, shared by every process.
   */
  async claimLineItem(link: ResourceLinkLineItems, staleAfterMs: number): Promise<LineItemClaim> {
    const linkKey = lineItemLinkKey(link);
    const holder = randomUUID();
    const inserted = await this.prisma.$queryRaw<{ holder: string }[]>`
      INSERT INTO lti_line_item_lease
        (link_key, tenant_id, platform_id, line_items_url, resource_link_id, holder)
      VALUES (${linkKey}, ${link.tenantId}::uuid, ${link.platformId}::uuid, ${link.lineItemsUrl},
              ${link.resourceLinkId}, ${holder}::uuid)
      ON CONFLICT (link_key) DO NOTHING
      RETURNING holder::text`;
    if (inserted.length > 0) return { kind: 'claimed', holder };
    const takenOver = await this.prisma.$queryRaw<{ holder: string }[]>`
      UPDATE lti_line_item_lease
      SET holder = ${holder}::uuid, claimed_at = now(), updated_at = now()
      WHERE link_key = ${linkKey} AND line_item_url IS NULL
        AND claimed_at < now() - make_interval(secs => ${staleAfterMs / 1000})
      RETURNING holder::text`;
    if (takenOver.length > 0) return { kind: 'claimed', holder };
    const lineItemUrl = await this.leasedLineItem(link);
    return lineItemUrl ? { kind: 'known', lineItemUrl } : { kind: 'held' };
  }

  /** The line item recorded on the link's lease, if any. */
  private async leasedLineItem(link: ResourceLinkLineItems): Promise<string | undefined> {
    const rows = await this.prisma.$queryRaw<{ line_item_url: string | null }[]>`
      SELECT line_item_url FROM lti_line_item_lease WHERE link_key = ${lineItemLinkKey(link)}`;
    return rows[0]?.line_item_url ?? undefined;
  }

  /**
   * Records the line item the platform gave for the link and answers the link's line item: the
   * first one recorded wins, so a holder whose lease was taken over still converges on one URL.
   */
  async recordLineItem(link: ResourceLinkLineItems, lineItemUrl: string): Promise<string> {
    const rows = await this.prisma.$queryRaw<{ line_item_url: string }[]>`
      INSERT INTO lti_line_item_lease
        (link_key, tenant_id, platform_id, line_items_url, resource_link_id, holder, line_item_url)
      VALUES (${lineItemLinkKey(link)}, ${link.tenantId}::uuid, ${link.platformId}::uuid,
              ${link.lineItemsUrl}, ${link.resourceLinkId}, ${randomUUID()}::uuid, ${lineItemUrl})
      ON CONFLICT (link_key) DO UPDATE
        SET line_item_url = coalesce(lti_line_item_lease.line_item_url, excluded.line_item_url),
            updated_at = now()
      RETURNING line_item_url`;
    return rows[0]?.line_item_url ?? lineItemUrl;
  }

  /** Gives the lease up after the platform could not answer, so the next try need not wait it out. */
  async releaseLineItem(link: ResourceLinkLineItems, holder: string): Promise<void> {
    await this.prisma.$executeRaw`
      DELETE FROM lti_line_item_lease
      WHERE link_key = ${lineItemLinkKey(link)} AND holder = ${holder}::uuid
        AND line_item_url IS NULL`;
  }

  /** The launch that opened a learner session, if one did. */
  async forSession(
    tenantId: string,
    learnerSessionId: string,
  ): Promise<LtiLaunchRecord | undefined> {
    if (!isUuid(learnerSessionId)) return undefined;
    return (
      (await this.prisma.ltiLaunch.findFirst({ where: { tenantId, learnerSessionId } })) ??
      undefined
    );
  }

  /** The latest launch of an exercise that granted the NRPS memberships service. */
  async latestWithRoster(
    tenantId: string,
    exerciseId: string,
  ): Promise<LtiLaunchRecord | undefined> {
    if (!isUuid(exerciseId)) return undefined;
    return (
      (await this.prisma.ltiLaunch.findFirst({
        where: { tenantId, exerciseId, membershipsUrl: { not: null } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      })) ?? undefined
    );
  }

  /** Submissions per learnerRef for an exercise (count and best score), for the given refs only. */
  async attempts(
    tenantId: string,
    exerciseId: string,
    learnerRefs: string[],
  ): Promise<Map<string, { submissions: number; bestScore: number | null }>> {
    const rows = await this.prisma.submission.groupBy({
      by: ['learnerRef'],
      where: { tenantId, exerciseId, learnerRef: { in: learnerRefs } },
      _count: { _all: true },
      _max: { score: true },
    });
    return new Map(
      rows.map((row) => [
        row.learnerRef,
        { submissions: row._count._all, bestScore: row._max.score ?? null },
      ]),
    );
  }

  /** The platform users (subjects) of a registration who launched an exercise. */
  async subjectsOfExercise(
    tenantId: string,
    platformId: string,
    exerciseId: string,
  ): Promise<string[]> {
    const rows = await this.prisma.ltiLaunch.findMany({
      where: { tenantId, platformId, exerciseId },
      distinct: ['subject'],
      select: { subject: true },
      take: 10_000,
    });
    return rows.map((row) => row.subject);
  }
}

/** The lease's key: URLs can outgrow a btree key, their digest cannot. */
function lineItemLinkKey(link: ResourceLinkLineItems): string {
  return createHash('sha256')
    .update(
      JSON.stringify([link.tenantId, link.platformId, link.lineItemsUrl, link.resourceLinkId]),
    )
    .digest('hex');
}
