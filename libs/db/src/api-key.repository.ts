// API keys: the plaintext is shown once at creation; only its sha256 is stored (bearer-token.ts).
import { bearerTokenKind, hashBearerToken } from './bearer-token';
import type { PrismaClient } from './generated/prisma/client';

/** Persisted in users' configs: the `np_` marker lets secret scanners recognise netplay keys. */
export const API_KEY_TOKENS = bearerTokenKind('np_');
const PREFIX_LENGTH = 8;
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey {
  key: ApiKeyRecord;
  /** The only time the full key exists outside its owner's hands. */
  plaintext: string;
}

const RECORD_FIELDS = {
  id: true,
  tenantId: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(tenantId: string, name: string): Promise<CreatedApiKey> {
    const { token: plaintext, hash } = API_KEY_TOKENS.issue();
    const key = await this.prisma.apiKey.create({
      data: {
        tenantId,
        name,
        prefix: plaintext.slice(0, API_KEY_TOKENS.marker.length + PREFIX_LENGTH),
        hash,
      },
      select: RECORD_FIELDS,
    });
    return { key, plaintext };
  }

  /**
   * The key's record when it exists and is not revoked; records the use to the minute. Writing
   * the row on every request would serialise all of a key's requests on its row lock.
   */
  async authenticate(plaintext: string, now: Date = new Date()): Promise<ApiKeyRecord | undefined> {
    const found = await this.prisma.apiKey.findUnique({
      where: { hash: hashBearerToken(plaintext) },
      select: RECORD_FIELDS,
    });
    if (!found || found.revokedAt !== null) return undefined;
    if (
      found.lastUsedAt !== null &&
      now.getTime() - found.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS
    )
      return found;
    return this.prisma.apiKey.update({
      where: { id: found.id },
      data: { lastUsedAt: now },
      select: RECORD_FIELDS,
    });
  }

  list(tenantId: string): Promise<ApiKeyRecord[]> {
    return this.prisma.apiKey.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: RECORD_FIELDS,
    });
  }

  /** False when the tenant has no such active key. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.apiKey.updateMany({
      where: { id, tenantId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }

  /** The operator's revocation, by id alone; false when there is no such active key. */
  async revokeById(id: string): Promise<boolean> {
    const { count } = await this.prisma.apiKey.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }
}
