// Read-only share links to one sandbox revision, for REST: whoever holds the link's token reads
// that revision (GET /v1/shared-revision) and nothing else, without an API key or a session.
import { Injectable } from '@nestjs/common';
import { ShareLinkRepository, type OwnerScope } from '@netplay/db';
import { ApiError } from '../errors/api-error';
import type { ShareIdentity } from '../auth/request-of';
import type { CreatedShareLinkView, SharedRevisionView } from './share-link.dto';
import {
  DEFAULT_SHARE_LINK_TTL_SECONDS,
  MAX_SHARE_LINK_TTL_SECONDS,
  MIN_SHARE_LINK_TTL_SECONDS,
} from './share-link-limits';

@Injectable()
export class ShareLinksService {
  constructor(private readonly shareLinks: ShareLinkRepository) {}

  /** A link to a revision the caller can read (a learner: of its own sandboxes). */
  async create(
    scope: OwnerScope,
    sandboxId: string,
    version: number,
    ttl = DEFAULT_SHARE_LINK_TTL_SECONDS,
    now = new Date(),
  ): Promise<CreatedShareLinkView> {
    if (
      !Number.isInteger(ttl) ||
      ttl < MIN_SHARE_LINK_TTL_SECONDS ||
      ttl > MAX_SHARE_LINK_TTL_SECONDS
    )
      throw new ApiError(
        'validation-failed',
        `ttl must be an integer from ${MIN_SHARE_LINK_TTL_SECONDS} to ${MAX_SHARE_LINK_TTL_SECONDS} seconds`,
        [
          {
            field: 'ttl',
            message: `must be from ${MIN_SHARE_LINK_TTL_SECONDS} to ${MAX_SHARE_LINK_TTL_SECONDS}`,
          },
        ],
      );
    const created = await this.shareLinks.create(
      scope,
      sandboxId,
      version,
      new Date(now.getTime() + ttl * 1_000),
    );
    if (!created)
      throw new ApiError('not-found', `sandbox ${sandboxId} has no revision ${version}`);
    const { link, token } = created;
    return {
      id: link.id,
      token,
      url: `/share/${link.sandboxId}/${link.version}#token=${encodeURIComponent(token)}`,
      sandboxId: link.sandboxId,
      version: link.version,
      expiresAt: link.expiresAt.toISOString(),
    };
  }

  async revoke(scope: OwnerScope, id: string): Promise<void> {
    if (!(await this.shareLinks.revoke(scope, id)))
      throw new ApiError('not-found', `share link ${id} not found`);
  }

  /** The revision the caller's share token reads. */
  async sharedRevision(
    share: ShareIdentity | undefined,
    tenantId: string,
  ): Promise<SharedRevisionView> {
    if (!share) throw new ApiError('not-found', 'the caller is not a share link');
    const revision = await this.shareLinks.revision({
      tenantId,
      sandboxId: share.sandboxId,
      version: share.version,
    });
    if (!revision) throw new ApiError('not-found', 'the shared sandbox was deleted');
    return {
      sandboxId: revision.sandboxId,
      name: revision.sandboxName,
      version: revision.version,
      manifests: revision.manifests,
      clusterSettings: revision.clusterSettings ?? {},
      createdAt: revision.createdAt.toISOString(),
    };
  }
}
