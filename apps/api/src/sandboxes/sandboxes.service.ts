// Sandboxes for REST and GraphQL alike: controllers and resolvers are thin and call these methods
// with the caller (an OwnerScope: its tenant, and for a learner session its ownerRef, which the
// repository filters by and stamps on new sandboxes). Another tenant's sandbox is "not found", never "forbidden", so ids
// reveal nothing across tenants.
import { Injectable } from '@nestjs/common';
import type {
  ClusterSettings,
  OwnerScope,
  SandboxListItem,
  SandboxRecord,
  SandboxRevisionListItem,
} from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { refusedAs } from '../errors/repository-refusal';
import { pageView } from '../paging/page-view';
import { ApiEngine } from '../engine/api-engine';
import {
  manifestsText,
  validateClusterSettings,
  validateManifests,
  type ManifestIssueView,
} from './manifest-input';
import {
  renderSandboxView,
  type SandboxViewRequest,
  type SandboxViewResult,
} from './sandbox-views';
import type {
  SandboxPage,
  SandboxRevisionPage,
  SandboxRevisionView,
  SandboxView,
} from './sandbox.dto';
import { SandboxRepository, scopeOf } from '@netplay/db';

export interface SandboxInput {
  name: string;
  description?: string;
  /** YAML text or an array of Kubernetes objects. */
  manifests: unknown;
  clusterSettings?: Record<string, unknown>;
}

export interface SandboxChangeInput {
  name?: string;
  description?: string;
  manifests?: unknown;
  clusterSettings?: Record<string, unknown>;
}

export interface SandboxListInput {
  cursor?: string;
  limit?: number;
  name?: string;
  /** Listings leave manifests out unless asked. */
  includeManifests?: boolean;
}

export interface RevisionListInput {
  cursor?: string;
  limit?: number;
  includeManifests?: boolean;
}

export interface SandboxWithWarnings {
  sandbox: SandboxView;
  /** The engine's warnings about the manifests (errors make the write fail with 422). */
  warnings: ManifestIssueView[];
}

@Injectable()
export class SandboxesService {
  constructor(
    private readonly sandboxes: SandboxRepository,
    private readonly engine: ApiEngine,
  ) {}

  async create(scope: OwnerScope | string, input: SandboxInput): Promise<SandboxWithWarnings> {
    const { tenantId } = scopeOf(scope);
    const manifests = await manifestsText(this.engine, tenantId, input.manifests);
    await validateClusterSettings(this.engine, tenantId, input.clusterSettings);
    const warnings = await validateManifests(this.engine, tenantId, manifests);
    const { sandbox } = await this.sandboxes
      .create(scope, {
        name: input.name,
        description: input.description,
        manifests,
        clusterSettings: (input.clusterSettings ?? {}) as ClusterSettings,
      })
      .catch(refusedAs('already-exists', () => nameTaken(input.name)));
    return { sandbox: toView(sandbox), warnings };
  }

  async get(scope: OwnerScope | string, id: string): Promise<SandboxView> {
    return toView(await this.record(scope, id));
  }

  async list(scope: OwnerScope | string, input: SandboxListInput = {}): Promise<SandboxPage> {
    const result = await this.sandboxes.list(scope, {
      cursor: input.cursor,
      limit: input.limit,
      nameContains: input.name,
      includeManifests: input.includeManifests,
    });
    return pageView(result, toView);
  }

  /** Optimistic: `expectedVersion` is the version the caller read; a newer write since is a 409. */
  async update(
    scope: OwnerScope | string,
    id: string,
    expectedVersion: number,
    change: SandboxChangeInput,
  ): Promise<SandboxWithWarnings> {
    const { tenantId } = scopeOf(scope);
    const manifests =
      change.manifests === undefined
        ? undefined
        : await manifestsText(this.engine, tenantId, change.manifests);
    await validateClusterSettings(this.engine, tenantId, change.clusterSettings);
    const warnings =
      manifests === undefined ? [] : await validateManifests(this.engine, tenantId, manifests);
    const written = await this.sandboxes
      .update(scope, id, {
        expectedVersion,
        name: change.name,
        description: change.description,
        manifests,
        clusterSettings: change.clusterSettings as ClusterSettings | undefined,
      })
      .catch(refusedAs('already-exists', () => nameTaken(change.name ?? '')))
      .catch(refusedAs('version-conflict', (error) => versionConflict(error.currentVersion)));
    if (!written) throw notFound(id);
    return { sandbox: toView(written.sandbox), warnings };
  }

  async remove(scope: OwnerScope | string, id: string): Promise<void> {
    if (!(await this.sandboxes.softDelete(scope, id))) throw notFound(id);
  }

  /** Newest version first, a page at a time; manifests only when asked. */
  async listRevisions(
    scope: OwnerScope | string,
    id: string,
    input: RevisionListInput = {},
  ): Promise<SandboxRevisionPage> {
    await this.record(scope, id);
    const result = await this.sandboxes.listRevisions(scope, id, input);
    return pageView(result, toRevisionView);
  }

  /** One revision's manifests (GraphQL asks for them field by field). */
  async revisionManifests(
    scope: OwnerScope | string,
    id: string,
    version: number,
  ): Promise<string> {
    const revision = await this.sandboxes.getRevision(scope, id, version);
    if (!revision) throw notFound(id);
    return revision.manifests;
  }

  /** `kubectl get`-style views and node-level views of the simulated cluster, without a run. */
  async view(
    scope: OwnerScope | string,
    id: string,
    request: SandboxViewRequest,
  ): Promise<SandboxViewResult> {
    const sandbox = await this.record(scope, id);
    return renderSandboxView(this.engine, sandbox, request);
  }

  private async record(scope: OwnerScope | string, id: string): Promise<SandboxRecord> {
    const sandbox = await this.sandboxes.get(scope, id);
    if (!sandbox) throw notFound(id);
    return sandbox;
  }
}

function nameTaken(name: string): ApiError {
  return new ApiError('conflict', `a sandbox named "${name}" already exists`, [
    { field: 'name', message: 'already taken' },
  ]);
}

function versionConflict(currentVersion: number | undefined): ApiError {
  return new ApiError(
    'version-conflict',
    `the sandbox was changed since the version you sent; it is now at version ${currentVersion}`,
    { currentVersion },
  );
}

function notFound(id: string): ApiError {
  return new ApiError('not-found', `sandbox ${id} not found`);
}

export function toView(record: SandboxRecord | SandboxListItem): SandboxView {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    ...(record.manifests === undefined ? {} : { manifests: record.manifests }),
    clusterSettings: record.clusterSettings ?? {},
    version: record.version,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function toRevisionView(record: SandboxRevisionListItem): SandboxRevisionView {
  return {
    sandboxId: record.sandboxId,
    version: record.version,
    ...(record.manifests === undefined ? {} : { manifests: record.manifests }),
    clusterSettings: record.clusterSettings ?? {},
    createdAt: record.createdAt.toISOString(),
  };
}
