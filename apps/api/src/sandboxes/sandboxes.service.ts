// Sandboxes for REST and GraphQL alike: controllers and resolvers are thin and call these methods
// with the caller's tenant. Another tenant's sandbox is "not found", never "forbidden", so ids
// reveal nothing across tenants.
import { Inject, Injectable } from '@nestjs/common';
import type {
  ClusterSettings,
  SandboxListItem,
  SandboxRecord,
  SandboxRevisionListItem,
  SandboxWriteResult,
} from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { unknownCursor } from '../paging/page-view';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
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
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  async create(tenantId: string, input: SandboxInput): Promise<SandboxWithWarnings> {
    const manifests = manifestsText(input.manifests);
    validateClusterSettings(input.clusterSettings);
    const warnings = validateManifests(manifests);
    const result = await this.infra.sandboxes.create(tenantId, {
      name: input.name,
      description: input.description,
      manifests,
      clusterSettings: (input.clusterSettings ?? {}) as ClusterSettings,
    });
    return { sandbox: toView(written(result, input.name)), warnings };
  }

  async get(tenantId: string, id: string): Promise<SandboxView> {
    return toView(await this.record(tenantId, id));
  }

  async list(tenantId: string, input: SandboxListInput = {}): Promise<SandboxPage> {
    const result = await this.infra.sandboxes.list(tenantId, {
      cursor: input.cursor,
      limit: input.limit,
      nameContains: input.name,
      includeManifests: input.includeManifests,
    });
    if (!result.ok) throw unknownCursor();
    return {
      items: result.page.items.map(toView),
      ...(result.page.nextCursor ? { nextCursor: result.page.nextCursor } : {}),
    };
  }

  /** Optimistic: `expectedVersion` is the version the caller read; a newer write since is a 409. */
  async update(
    tenantId: string,
    id: string,
    expectedVersion: number,
    change: SandboxChangeInput,
  ): Promise<SandboxWithWarnings> {
    const manifests = change.manifests === undefined ? undefined : manifestsText(change.manifests);
    validateClusterSettings(change.clusterSettings);
    const warnings = manifests === undefined ? [] : validateManifests(manifests);
    const result = await this.infra.sandboxes.update(tenantId, id, {
      expectedVersion,
      name: change.name,
      description: change.description,
      manifests,
      clusterSettings: change.clusterSettings as ClusterSettings | undefined,
    });
    return { sandbox: toView(written(result, change.name ?? '', id)), warnings };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.infra.sandboxes.softDelete(tenantId, id))) throw notFound(id);
  }

  /** Newest version first, a page at a time; manifests only when asked. */
  async listRevisions(
    tenantId: string,
    id: string,
    input: RevisionListInput = {},
  ): Promise<SandboxRevisionPage> {
    await this.record(tenantId, id);
    const result = await this.infra.sandboxes.listRevisions(tenantId, id, input);
    if (!result.ok) throw unknownCursor();
    return {
      items: result.page.items.map(toRevisionView),
      ...(result.page.nextCursor ? { nextCursor: result.page.nextCursor } : {}),
    };
  }

  /** One revision's manifests (GraphQL asks for them field by field). */
  async revisionManifests(tenantId: string, id: string, version: number): Promise<string> {
    const revision = await this.infra.sandboxes.getRevision(tenantId, id, version);
    if (!revision) throw notFound(id);
    return revision.manifests;
  }

  /** `kubectl get`-style views and node-level views of the simulated cluster, without a run. */
  async view(
    tenantId: string,
    id: string,
    request: SandboxViewRequest,
  ): Promise<SandboxViewResult> {
    const sandbox = await this.record(tenantId, id);
    return renderSandboxView(sandbox, request);
  }

  private async record(tenantId: string, id: string): Promise<SandboxRecord> {
    const sandbox = await this.infra.sandboxes.get(tenantId, id);
    if (!sandbox) throw notFound(id);
    return sandbox;
  }
}

function written(result: SandboxWriteResult, name: string, id?: string): SandboxRecord {
  if (result.ok) return result.sandbox;
  switch (result.code) {
    case 'name-taken':
      return raise(
        new ApiError('conflict', `a sandbox named "${name}" already exists`, [
          { field: 'name', message: 'already taken' },
        ]),
      );
    case 'not-found':
      return raise(notFound(id ?? ''));
    case 'version-conflict':
      return raise(
        new ApiError(
          'version-conflict',
          `the sandbox was changed since the version you sent; it is now at version ${result.currentVersion}`,
          { currentVersion: result.currentVersion },
        ),
      );
  }
}

function raise(error: ApiError): never {
  throw error;
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
