// The loaded cluster of a sandbox revision, kept per worker process. Revisions are immutable (an
// edit of a sandbox makes a new one), and `runSteps` never changes the state it is given (it reads
// through a fork and copies before a mutation), so every run of a revision can start from one
// loaded cluster: a run then costs
// its steps, not the YAML parsing, validation and controller reconciliation of the whole cluster.
// The revision's sandbox is kept beside it: the `run.completed` event names it, and a run of a
// cached revision should not read the revision row only for that.
import { loadCluster, type InputLimits, type LoadResult } from '@netplay/engine';
import { revisionManifests, type StoredRevisionInput } from './scenario-run-input';

/** Revisions kept at once; the least recently used one goes first. */
export const DEFAULT_REVISION_CACHE_SIZE = 64;

export interface CachedRevision {
  sandboxId: string;
  loaded: LoadResult;
}

export class RevisionClusterCache {
  private readonly revisions = new Map<string, CachedRevision>();

  constructor(private readonly maxRevisions = DEFAULT_REVISION_CACHE_SIZE) {}

  get size(): number {
    return this.revisions.size;
  }

  /** The cached load of this revision, if any (and marks it recently used). */
  get(revisionId: string): CachedRevision | undefined {
    const hit = this.revisions.get(revisionId);
    if (hit === undefined) return undefined;
    this.revisions.delete(revisionId);
    this.revisions.set(revisionId, hit);
    return hit;
  }

  /** Loads the revision's cluster and keeps the result, whether it loaded or failed with issues. */
  load(
    revisionId: string,
    revision: StoredRevisionInput & { sandboxId: string },
    limits?: Partial<InputLimits>,
  ): CachedRevision {
    const cached = {
      sandboxId: revision.sandboxId,
      loaded: loadCluster(revisionManifests(revision), { limits }),
    };
    this.revisions.set(revisionId, cached);
    while (this.revisions.size > this.maxRevisions) {
      const oldest = this.revisions.keys().next().value;
      if (oldest === undefined) break;
      this.revisions.delete(oldest);
    }
    return cached;
  }
}
