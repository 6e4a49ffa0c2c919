// Sandboxes and their revisions. Every write keeps the old content as a SandboxRevision, so a run
// always points at exactly what it simulated. Every method is scoped by tenant, and by owner for a
// learner session (OwnerScope): a sandbox id from another tenant or another learner behaves as if
// it did not exist. A sandbox a learner session creates carries the learner as its owner.
import type { Prisma, PrismaClient } from './generated/prisma/client';
import {
  afterCursor,
  decodeCursor,
  decodeVersionCursor,
  encodeVersionCursor,
  NEWEST_FIRST,
  pageSize,
  toPage,
  type Page,
  type PageRequest,
} from './paging';
import { isUuid } from '@netplay/contracts';
import { ownedBy, scopeOf, type OwnerScope } from './owner-scope';
import { isUniqueViolation } from './prisma-errors';
import { badCursor, RepositoryError } from './repository-error';
import type { Database, SqlExecutor } from './sql-executor';

export type ClusterSettings = Prisma.InputJsonObject;

export interface SandboxRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  manifests: string;
  clusterSettings: Prisma.JsonValue;
  version: number;
  /** The learner who created it; null for a tenant key's sandbox. */
  ownerRef: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SandboxRevisionRecord {
  id: string;
  sandboxId: string;
  version: number;
  manifests: string;
  clusterSettings: Prisma.JsonValue;
  createdAt: Date;
}

export interface NewSandbox {
  name: string;
  description?: string;
  manifests: string;
  clusterSettings: ClusterSettings;
}

export interface SandboxChange {
  /** The version the caller read; the update is refused if someone else wrote since. */
  expectedVersion: number;
  name?: string;
  description?: string;
  manifests?: string;
  clusterSettings?: ClusterSettings;
}

/** A written sandbox and the revision the write recorded. */
export interface SandboxWrite {
  sandbox: SandboxRecord;
  revision: SandboxRevisionRecord;
}

export interface SandboxListRequest extends PageRequest {
  /** Case-insensitive substring of the name. */
  nameContains?: string;
  /** Listings leave the manifests (up to 2 MiB each) out unless asked. */
  includeManifests?: boolean;
}

/** A listed sandbox: its manifests only when the listing asked for them. */
export type SandboxListItem = Omit<SandboxRecord, 'manifests'> & { manifests?: string };

export interface RevisionListRequest extends PageRequest {
  includeManifests?: boolean;
}

export type SandboxRevisionListItem = Omit<SandboxRevisionRecord, 'manifests'> & {
  manifests?: string;
};

/** A sandbox's current revision, without its manifests: what a new run points at. */
export interface CurrentRevisionRef {
  sandboxId: string;
  revisionId: string;
  version: number;
}

const SANDBOX_FIELDS = {
  id: true,
  tenantId: true,
  name: true,
  description: true,
  manifests: true,
  clusterSettings: true,
  version: true,
  ownerRef: true,
  createdAt: true,
  updatedAt: true,
} as const;

export class SandboxRepository {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlExecutor;

  constructor(database: Database) {
    this.prisma = database.prisma;
    this.sql = database.sql;
  }

  /** The revision a run submitted now simulates; undefined for a deleted or another tenant's sandbox. */
  async currentRevision(
    scope: OwnerScope | string,
    sandboxId: string,
  ): Promise<CurrentRevisionRef | undefined> {
    if (!isUuid(sandboxId)) return undefined;
    const { tenantId, ownerRef } = scopeOf(scope);
    const [row] = await this.sql.query<{ revision_id: string; version: number }>(
      `SELECT r.id AS revision_id, s.version
       FROM sandbox s JOIN sandbox_revision r ON r.sandbox_id = s.id AND r.version = s.version
       WHERE s.id = $1 AND s.tenant_id = $2 AND s.deleted_at IS NULL
         AND ($3::text IS NULL OR s.owner_ref = $3::text)`,
      [sandboxId, tenantId, ownerRef ?? null],
    );
    return row && { sandboxId, revisionId: row.revision_id, version: row.version };
  }

  /** Creates the sandbox and its revision 1 together; `already-exists` when the name is taken. */
  async create(scope: OwnerScope | string, input: NewSandbox): Promise<SandboxWrite> {
    const { tenantId, ownerRef } = scopeOf(scope);
    try {
      return await this.prisma.$transaction(async (tx) => {
        const sandbox = await tx.sandbox.create({
          data: {
            tenantId,
            ownerRef: ownerRef ?? null,
            name: input.name,
            description: input.description ?? '',
            manifests: input.manifests,
            clusterSettings: input.clusterSettings,
            version: 1,
          },
          select: SANDBOX_FIELDS,
        });
        const revision = await tx.sandboxRevision.create({
          data: {
            sandboxId: sandbox.id,
            version: 1,
            manifests: sandbox.manifests,
            clusterSettings: input.clusterSettings,
          },
        });
        return { sandbox, revision };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
  }

  /**
   * Optimistic update: bumps the version only if it still equals `expectedVersion`, and records the
   * new content as a revision in the same transaction. `undefined` when the tenant has no such
   * sandbox; `version-conflict` when someone wrote since; `already-exists` when the new name is taken.
   */
  async update(
    scope: OwnerScope | string,
    id: string,
    change: SandboxChange,
  ): Promise<SandboxWrite | undefined> {
    if (!isUuid(id)) return undefined;
    const owned = ownedBy(scopeOf(scope));
    try {
      return await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.sandbox.updateMany({
          where: { id, ...owned, deletedAt: null, version: change.expectedVersion },
          data: {
            name: change.name,
            description: change.description,
            manifests: change.manifests,
            clusterSettings: change.clusterSettings,
            version: { increment: 1 },
          },
        });
        if (count === 0) {
          const current = await tx.sandbox.findFirst({
            where: { id, ...owned, deletedAt: null },
            select: { version: true },
          });
          if (!current) return undefined;
          throw new RepositoryError(
            'version-conflict',
            `the sandbox was changed since version ${change.expectedVersion}; it is now at version ${current.version}`,
            current.version,
          );
        }
        const sandbox = await tx.sandbox.findUniqueOrThrow({
          where: { id },
          select: SANDBOX_FIELDS,
        });
        const revision = await tx.sandboxRevision.create({
          data: {
            sandboxId: id,
            version: sandbox.version,
            manifests: sandbox.manifests,
            clusterSettings: sandbox.clusterSettings ?? {},
          },
        });
        return { sandbox, revision };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(change.name ?? '');
      throw error;
    }
  }

  async get(scope: OwnerScope | string, id: string): Promise<SandboxRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (
      (await this.prisma.sandbox.findFirst({
        where: { id, ...ownedBy(scopeOf(scope)), deletedAt: null },
        select: SANDBOX_FIELDS,
      })) ?? undefined
    );
  }

  /** A revision stays readable after its sandbox is deleted: past runs still show what they simulated. */
  async getRevision(
    scope: OwnerScope | string,
    sandboxId: string,
    version: number,
  ): Promise<SandboxRevisionRecord | undefined> {
    if (!isUuid(sandboxId)) return undefined;
    const revision = await this.prisma.sandboxRevision.findFirst({
      where: { sandboxId, version, sandbox: ownedBy(scopeOf(scope)) },
    });
    return revision ?? undefined;
  }

  /** For the worker, which reads a run's revision by id (the run row already proves the tenant). */
  async getRevisionForWorker(id: string): Promise<SandboxRevisionRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.sandboxRevision.findUnique({ where: { id } })) ?? undefined;
  }

  /** Newest version first, a page at a time (keyset over the unique (sandbox_id, version)). */
  async listRevisions(
    scope: OwnerScope | string,
    sandboxId: string,
    request: RevisionListRequest = {},
  ): Promise<Page<SandboxRevisionListItem>> {
    const before = request.cursor === undefined ? undefined : decodeVersionCursor(request.cursor);
    if (request.cursor !== undefined && before === undefined) throw badCursor();
    if (!isUuid(sandboxId)) return { items: [] };
    const size = pageSize(request.limit);
    const rows = await this.prisma.sandboxRevision.findMany({
      where: {
        sandboxId,
        sandbox: ownedBy(scopeOf(scope)),
        ...(before === undefined ? {} : { version: { lt: before } }),
      },
      orderBy: { version: 'desc' },
      take: size + 1,
      select: {
        id: true,
        sandboxId: true,
        version: true,
        clusterSettings: true,
        createdAt: true,
        manifests: request.includeManifests === true,
      },
    });
    const hasMore = rows.length > size;
    const items = hasMore ? rows.slice(0, size) : rows;
    const last = items[items.length - 1];
    return { items, nextCursor: hasMore && last ? encodeVersionCursor(last.version) : undefined };
  }

  /** Newest first; deleted sandboxes are left out. */
  async list(
    scope: OwnerScope | string,
    request: SandboxListRequest = {},
  ): Promise<Page<SandboxListItem>> {
    const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    if (request.cursor !== undefined && !position) throw badCursor();
    const size = pageSize(request.limit);
    const rows = await this.prisma.sandbox.findMany({
      where: {
        ...ownedBy(scopeOf(scope)),
        deletedAt: null,
        ...(request.nameContains
          ? { name: { contains: request.nameContains, mode: 'insensitive' as const } }
          : {}),
        ...(position ? afterCursor(position) : {}),
      },
      orderBy: NEWEST_FIRST,
      take: size + 1,
      select: { ...SANDBOX_FIELDS, manifests: request.includeManifests === true },
    });
    return toPage(rows, size, (row) => row);
  }

  /**
   * Soft delete: the row and its revisions stay for the runs that reference them. The name stays
   * taken (the unique index is on (tenant_id, name) regardless of deleted_at).
   */
  async softDelete(scope: OwnerScope | string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.sandbox.updateMany({
      where: { id, ...ownedBy(scopeOf(scope)), deletedAt: null },
      data: { deletedAt: new Date() },
    });
    return count === 1;
  }
}

function nameTaken(name: string): RepositoryError {
  return new RepositoryError('already-exists', `a sandbox named "${name}" already exists`);
}
