// The loaded cluster of a sandbox revision, kept per worker process. Revisions are immutable (an
// edit of a sandbox makes a new one), and `runSteps` works on a copy of the state it is given
// (`cloneState`), so every run of a revision can start from one loaded cluster: a run then costs
// its steps, not the YAML parsing, validation and controller reconciliation of the whole cluster.
import { loadCluster, type InputLimits, type LoadResult } from '@netplay/engine';
import { revisionManifests, type StoredRevisionInput } from './scenario-run-input';

/** Revisions kept at once; the least recently used one goes first. */
export const DEFAULT_REVISION_CACHE_SIZE = 64;

export class RevisionClusterCache {
  private readonly loaded = new Map<string, LoadResult>();

  constructor(private readonly maxRevisions = DEFAULT_REVISION_CACHE_SIZE) {}

  get size(): number {
    return this.loaded.size;
  }

  /** The cached load of this revision, if any (and marks it recently used). */
  get(revisionId: string): LoadResult | undefined {
    const hit = this.loaded.get(revisionId);
    if (hit === undefined) return undefined;
    this.loaded.delete(revisionId);
    this.loaded.set(revisionId, hit);
    return hit;
  }

  /** Loads the revision's cluster and keeps the result, whether it loaded or failed with issues. */
  load(revisionId: string, revision: StoredRevisionInput, limits?: Partial<InputLimits>): LoadResult {
    const result = loadCluster(revisionManifests(revision), { limits });
    this.loaded.set(revisionId, result);
    while (this.loaded.size > this.maxRevisions) {
      const oldest = this.loaded.keys().next().value;
      if (oldest === undefined) break;
      this.loaded.delete(oldest);
    }
    return result;
  }
}
