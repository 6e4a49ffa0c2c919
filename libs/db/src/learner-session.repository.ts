// Learner sessions: short-lived bearer tokens a tenant hands one of its learners. Like API keys,
// only the token's sha256 is stored (bearer-token.ts), so revocation is one row update. A session
// is valid while now < expires_at and it is not revoked.
import { bearerTokenKind, hashBearerToken } from './bearer-token';
import type { PrismaClient } from './generated/prisma/client';
import { isUuid } from '@netplay/contracts';

/** Persisted in URLs handed to learners: the `nls_` marker tells it apart from an `np_` API key. */
export const LEARNER_TOKENS = bearerTokenKind('nls_');

export type LearnerRole = 'learner' | 'instructor';

export interface LearnerSessionRecord {
  id: string;
  tenantId: string;
  learnerRef: string;
  role: LearnerRole;
  exerciseId: string | null;
  sandboxId: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface NewLearnerSession {
  learnerRef: string;
  role: LearnerRole;
  exerciseId?: string;
  sandboxId?: string;
  expiresAt: Date;
}

export interface CreatedLearnerSession {
  session: LearnerSessionRecord;
  /** The only time the token exists outside the learner's URL. */
  token: string;
}

const RECORD_FIELDS = {
  id: true,
  tenantId: true,
  learnerRef: true,
  role: true,
  exerciseId: true,
  sandboxId: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

export class LearnerSessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(tenantId: string, input: NewLearnerSession): Promise<CreatedLearnerSession> {
    const { token, hash } = LEARNER_TOKENS.issue();
    const session = await this.prisma.learnerSession.create({
      data: {
        tenantId,
        learnerRef: input.learnerRef,
        role: input.role,
        exerciseId: input.exerciseId ?? null,
        sandboxId: input.sandboxId ?? null,
        expiresAt: input.expiresAt,
        tokenHash: hash,
      },
      select: RECORD_FIELDS,
    });
    return { session, token };
  }

  /** The session behind a token when it exists, is not revoked and has not expired at `now`. */
  async authenticate(
    token: string,
    now: Date = new Date(),
  ): Promise<LearnerSessionRecord | undefined> {
    if (!LEARNER_TOKENS.isWellFormed(token)) return undefined;
    const found = await this.prisma.learnerSession.findUnique({
      where: { tokenHash: hashBearerToken(token) },
      select: RECORD_FIELDS,
    });
    if (!found || found.revokedAt !== null || found.expiresAt.getTime() <= now.getTime())
      return undefined;
    return found;
  }

  async get(tenantId: string, id: string): Promise<LearnerSessionRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (
      (await this.prisma.learnerSession.findFirst({
        where: { id, tenantId },
        select: RECORD_FIELDS,
      })) ?? undefined
    );
  }

  /** False when the tenant has no such unrevoked session. */
  async revoke(tenantId: string, id: string, now: Date = new Date()): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.learnerSession.updateMany({
      where: { id, tenantId, revokedAt: null },
      data: { revokedAt: now },
    });
    return count === 1;
  }
}
