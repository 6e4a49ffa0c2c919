// LTI 1.3 platforms a tenant registered for score passback, each with the tool key pair made for it.
// The private key (PKCS#8 PEM) is encrypted at rest like webhook secrets (secret-cipher.ts) and
// leaves this repository only through `getForPassback`; listings carry the public JWK only.
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { isUuid } from '@netplay/contracts';
import { isUniqueViolation } from './prisma-errors';
import { RepositoryError } from './repository-error';
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
  authUrl: string | null;
  platformJwksUrl: string | null;
  deploymentIds: string[];
  storeLearnerIdentity: boolean;
  registeredBy: string;
  previousKeyId: string | null;
  previousPublicJwk: Prisma.JsonValue;
  previousKeyExpiresAt: Date | null;
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
  authUrl?: string;
  platformJwksUrl?: string;
  deploymentIds?: string[];
  storeLearnerIdentity?: boolean;
  registeredBy?: 'manual' | 'dynamic';
}

export interface RotatedLtiKey {
  keyId: string;
  publicJwk: Prisma.InputJsonValue;
  privateKeyPem: string;
  /** Until when the replaced key stays published (the overlap). */
  previousExpiresAt: Date;
}

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
  authUrl: true,
  platformJwksUrl: true,
  deploymentIds: true,
  storeLearnerIdentity: true,
  registeredBy: true,
  previousKeyId: true,
  previousPublicJwk: true,
  previousKeyExpiresAt: true,
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

  /**
   * One registration per (issuer, client id) and tenant: the platform identifies the tool by both;
   * `already-exists` for a second one.
   */
  async create(tenantId: string, input: NewLtiPlatform): Promise<LtiPlatformRecord> {
    const id = randomUUID();
    try {
      const platform = await this.prisma.ltiPlatform.create({
        data: {
          id,
          tenantId,
          issuer: input.issuer,
          clientId: input.clientId,
          tokenUrl: input.tokenUrl,
          deploymentId: input.deploymentId ?? input.deploymentIds?.[0] ?? null,
          deploymentIds:
            input.deploymentIds ?? (input.deploymentId !== undefined ? [input.deploymentId] : []),
          authUrl: input.authUrl ?? null,
          platformJwksUrl: input.platformJwksUrl ?? null,
          storeLearnerIdentity: input.storeLearnerIdentity ?? false,
          registeredBy: input.registeredBy ?? 'manual',
          keyId: input.keyId,
          publicJwk: input.publicJwk,
          privateKeyCiphertext: this.cipher.encrypt(input.privateKeyPem, keyContext(id)),
        },
        select: PUBLIC_FIELDS,
      });
      return platform;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new RepositoryError(
          'already-exists',
          `a platform with issuer ${input.issuer} and client id ${input.clientId} is registered`,
        );
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

  /**
   * The public JWKs of every platform registration of the tenant (its JWKS document), with each
   * replaced key still inside its overlap after the key that replaced it.
   */
  async publicJwks(tenantId: string, now: Date = new Date()): Promise<Prisma.JsonValue[]> {
    if (!isUuid(tenantId)) return [];
    return publishedKeys(
      await this.prisma.ltiPlatform.findMany({
        where: { tenantId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { publicJwk: true, previousPublicJwk: true, previousKeyExpiresAt: true },
      }),
      now,
    );
  }

  /** Every tenant's published keys (the deployment-wide /.well-known/jwks.json). */
  async allPublicJwks(now: Date = new Date()): Promise<Prisma.JsonValue[]> {
    return publishedKeys(
      await this.prisma.ltiPlatform.findMany({
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { publicJwk: true, previousPublicJwk: true, previousKeyExpiresAt: true },
      }),
      now,
    );
  }

  /**
   * Registrations an OIDC login names by issuer and client id (optional in a login initiation),
   * across tenants (the login URL is the deployment's, not a tenant's); more than one only when
   * tenants registered the same pair, or the login named no client and the issuer has several.
   */
  findByIssuerAndClient(issuer: string, clientId?: string): Promise<LtiPlatformRecord[]> {
    return this.prisma.ltiPlatform.findMany({
      where: clientId ? { issuer, clientId } : { issuer },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: 10,
      select: PUBLIC_FIELDS,
    });
  }

  /** A registration by id alone (a launch's state names it); with its private key. */
  async getWithKey(id: string): Promise<LtiPlatformForPassback | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.prisma.ltiPlatform.findUnique({ where: { id } });
    if (!row) return undefined;
    const { privateKeyCiphertext, ...platform } = row;
    return {
      ...platform,
      privateKeyPem: this.cipher.decrypt(privateKeyCiphertext, keyContext(row.id)),
    };
  }

  /** Adds a deployment id the tenant allows launches from (idempotent). */
  async addDeployment(tenantId: string, id: string, deploymentId: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const updated = await this.prisma.$executeRaw`
      UPDATE lti_platform SET deployment_ids = array_append(deployment_ids, ${deploymentId}),
        deployment_id = COALESCE(deployment_id, ${deploymentId})
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid
        AND NOT (${deploymentId} = ANY(deployment_ids))`;
    return updated > 0 || (await this.get(tenantId, id)) !== undefined;
  }

  /**
   * Replaces the tool key of a registration: the new key signs from now on, the replaced one stays
   * in the JWKS until `previousExpiresAt` so platforms holding a cached JWKS keep verifying.
   */
  async rotateKey(
    tenantId: string,
    id: string,
    key: RotatedLtiKey,
  ): Promise<LtiPlatformRecord | undefined> {
    const current = await this.get(tenantId, id);
    if (!current) return undefined;
    const updated = await this.prisma.ltiPlatform.updateMany({
      where: { id, tenantId, keyId: current.keyId },
      data: {
        previousKeyId: current.keyId,
        previousPublicJwk: current.publicJwk ?? undefined,
        previousKeyExpiresAt: key.previousExpiresAt,
        keyId: key.keyId,
        publicJwk: key.publicJwk,
        privateKeyCiphertext: this.cipher.encrypt(key.privateKeyPem, keyContext(id)),
      },
    });
    // A concurrent rotation won: report the registration as it is now.
    if (updated.count === 0) return this.get(tenantId, id);
    return this.get(tenantId, id);
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

function publishedKeys(
  rows: {
    publicJwk: Prisma.JsonValue;
    previousPublicJwk: Prisma.JsonValue;
    previousKeyExpiresAt: Date | null;
  }[],
  now: Date,
): Prisma.JsonValue[] {
  return rows.flatMap((row) =>
    row.previousPublicJwk !== null &&
    row.previousKeyExpiresAt !== null &&
    row.previousKeyExpiresAt > now
      ? [row.publicJwk, row.previousPublicJwk]
      : [row.publicJwk],
  );
}
