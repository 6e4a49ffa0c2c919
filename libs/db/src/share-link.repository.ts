// Read-only share links: a random token (only its sha256 is stored) that reads exactly one revision
// of one sandbox until it expires or is revoked. Creating one needs the revision to be visible to
// the creator's scope (a learner shares only its own sandboxes).
import { bearerTokenKind, hashBearerToken } from './bearer-token';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { ownedBy, scopeOf, type OwnerScope } from './owner-scope';
import { isUuid } from '@netplay/contracts';

/** Persisted in shared URLs: the `nsh_` marker tells a share token from keys and learner tokens. */
export const SHARE_TOKENS = bearerTokenKind('nsh_');

export interface ShareLinkRecord {
  id: string;
  tenantId: string;
  sandboxId: string;
  version: number;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface SharedRevisionRecord {
  sandboxId: string;
  sandboxName: string;
  version: number;
  manifests: string;
  clusterSettings: Prisma.JsonValue;
  createdAt: Date;
}

const RECORD_FIELDS = {
  id: true,
  tenantId: true,
  sandboxId: true,
  version: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

export class ShareLinkRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Undefined when the scope has no such live sandbox revision. */
  async create(
    scope: OwnerScope | string,
    sandboxId: string,
    version: number,
    expiresAt: Date,
  ): Promise<{ link: ShareLinkRecord; token: string } | undefined> {
    if (!isUuid(sandboxId)) return undefined;
    const owned = ownedBy(scopeOf(scope));
    const revision = await this.prisma.sandboxRevision.findFirst({
      where: { sandboxId, version, sandbox: { ...owned, deletedAt: null } },
      select: { id: true },
    });
    if (!revision) return undefined;
    const { token, hash } = SHARE_TOKENS.issue();
    const link = await this.prisma.shareLink.create({
      data: {
        tenantId: owned.tenantId,
        sandboxId,
        version,
        expiresAt,
        tokenHash: hash,
      },
      select: RECORD_FIELDS,
    });
    return { link, token };
  }

  /** The link behind a token when it exists, is not revoked and has not expired at `now`. */
  async authenticate(token: string, now: Date = new Date()): Promise<ShareLinkRecord | undefined> {
    if (!SHARE_TOKENS.isWellFormed(token)) return undefined;
    const found = await this.prisma.shareLink.findUnique({
      where: { tokenHash: hashBearerToken(token) },
      select: RECORD_FIELDS,
    });
    if (!found || found.revokedAt !== null || found.expiresAt.getTime() <= now.getTime())
      return undefined;
    return found;
  }

  /** The one revision a link reads; undefined once its sandbox was deleted. */
  async revision(
    link: Pick<ShareLinkRecord, 'tenantId' | 'sandboxId' | 'version'>,
  ): Promise<SharedRevisionRecord | undefined> {
    const revision = await this.prisma.sandboxRevision.findFirst({
      where: {
        sandboxId: link.sandboxId,
        version: link.version,
        sandbox: { tenantId: link.tenantId, deletedAt: null },
      },
      select: {
        sandboxId: true,
        version: true,
        manifests: true,
        clusterSettings: true,
        createdAt: true,
        sandbox: { select: { name: true } },
      },
    });
    if (!revision) return undefined;
    const { sandbox, ...rest } = revision;
    return { ...rest, sandboxName: sandbox.name };
  }

  /** False when the scope has no such unrevoked link (a learner revokes links to its own sandboxes). */
  async revoke(scope: OwnerScope | string, id: string, now: Date = new Date()): Promise<boolean> {
    if (!isUuid(id)) return false;
    const owned = ownedBy(scopeOf(scope));
    const { count } = await this.prisma.shareLink.updateMany({
      where: {
        id,
        tenantId: owned.tenantId,
        revokedAt: null,
        ...(owned.ownerRef === undefined ? {} : { sandbox: { ownerRef: owned.ownerRef } }),
      },
      data: { revokedAt: now },
    });
    return count === 1;
  }
}
