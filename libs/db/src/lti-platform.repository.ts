// LTI 1.3 platforms a tenant registered for score passback, each with the tool key pair made for it.
// The private key (PKCS#8 PEM) is encrypted at rest like webhook secrets (secret-cipher.ts) and
// leaves this repository only through `getForPassback`; listings carry the public JWK only.
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { isUniqueViolation, isUuid } from './prisma-errors';
import type { SecretCipher } from './secret-cipher';

export interface LtiPlatformRecord {
  id: string;
  tenantId: string;
  issuer: string;
  clientId: string;
  tokenUrl: string;
  deploymentId: string | null;
  keyId: string;
  publicJwk: Prisma.JsonValue;
  createdAt: Date;
}

/** What the passback needs: the platform and the tool's private key. */
export interface LtiPlatformForPassback extends LtiPlatformRecord {
  privateKeyPem: string;
}

export interface NewLtiPlatform {
  issuer: string;
  clientId: string;
  tokenUrl: string;
  deploymentId?: string;
  keyId: string;
  publicJwk: Prisma.InputJsonValue;
  privateKeyPem: string;
}

export type CreateLtiPlatformResult =
  { ok: true; platform: LtiPlatformRecord } | { ok: false; code: 'lti_platform_exists' };

const PUBLIC_FIELDS = {
  id: true,
  tenantId: true,
  issuer: true,
  clientId: true,
  tokenUrl: true,
  deploymentId: true,
  keyId: true,
  publicJwk: true,
  createdAt: true,
} as const;

/** Bound to the row, so a ciphertext copied into another platform's row fails to decrypt. */
function keyContext(platformId: string): string {
  return `lti_platform:${platformId}:private_key`;
}

export class LtiPlatformRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: SecretCipher,
  ) {}

  /** One registration per (issuer, client id) and tenant: the platform identifies the tool by both. */
  async create(tenantId: string, input: NewLtiPlatform): Promise<CreateLtiPlatformResult> {
    const id = randomUUID();
    try {
      const platform = await this.prisma.ltiPlatform.create({
        data: {
          id,
          tenantId,
          issuer: input.issuer,
          clientId: input.clientId,
          tokenUrl: input.tokenUrl,
          deploymentId: input.deploymentId ?? null,
          keyId: input.keyId,
          publicJwk: input.publicJwk,
          privateKeyCiphertext: this.cipher.encrypt(input.privateKeyPem, keyContext(id)),
        },
        select: PUBLIC_FIELDS,
      });
      return { ok: true, platform };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, code: 'lti_platform_exists' };
      throw error;
    }
  }

  /** Whether the tenant registered this (issuer, client id): checked before a key pair is made. */
  async exists(tenantId: string, issuer: string, clientId: string): Promise<boolean> {
    const found = await this.prisma.ltiPlatform.findFirst({
      where: { tenantId, issuer, clientId },
      select: { id: true },
    });
    return found !== null;
  }

  list(tenantId: string): Promise<LtiPlatformRecord[]> {
    return this.prisma.ltiPlatform.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: PUBLIC_FIELDS,
    });
  }

  async get(tenantId: string, id: string): Promise<LtiPlatformRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (
      (await this.prisma.ltiPlatform.findFirst({
        where: { id, tenantId },
        select: PUBLIC_FIELDS,
      })) ?? undefined
    );
  }

  /** The public JWKs of every platform registration of the tenant (its JWKS document). */
  async publicJwks(tenantId: string): Promise<Prisma.JsonValue[]> {
    if (!isUuid(tenantId)) return [];
    const rows = await this.prisma.ltiPlatform.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { publicJwk: true },
    });
    return rows.map((row) => row.publicJwk);
  }

  /** For the grading job: the platform with its decrypted private key. */
  async getForPassback(tenantId: string, id: string): Promise<LtiPlatformForPassback | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.prisma.ltiPlatform.findFirst({ where: { id, tenantId } });
    if (!row) return undefined;
    const { privateKeyCiphertext, ...platform } = row;
    return {
      ...platform,
      privateKeyPem: this.cipher.decrypt(privateKeyCiphertext, keyContext(row.id)),
    };
  }
}
