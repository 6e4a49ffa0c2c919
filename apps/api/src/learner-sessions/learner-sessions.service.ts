// Learner sessions: a tenant (or the LTI launch, on the tenant's behalf) hands one learner a
// short-lived bearer token; the page runs with it like an API key and sees only that learner's
// sandboxes, runs and submissions (the auth guard and the repositories enforce it). Tokens are
// random and stored hashed (LearnerSessionRepository), so revoking one takes effect on its next
// request.
import { Injectable } from '@nestjs/common';
import type { LearnerSessionRecord } from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { isUuid } from '@netplay/contracts';
import type { LearnerRole } from '../auth/request-of';
import type { CreatedLearnerSessionView, LearnerSessionView } from './learner-session.dto';
import {
  DEFAULT_LEARNER_SESSION_TTL_SECONDS,
  MAX_LEARNER_REF_LENGTH,
  MAX_LEARNER_SESSION_TTL_SECONDS,
  MIN_LEARNER_SESSION_TTL_SECONDS,
} from './learner-session-limits';
import { ExerciseRepository, LearnerSessionRepository, SandboxRepository } from '@netplay/db';

export interface NewLearnerSessionInput {
  tenantId: string;
  learnerRef: string;
  exerciseId?: string;
  sandboxId?: string;
  /** Seconds; default DEFAULT_LEARNER_SESSION_TTL_SECONDS, at most MAX_LEARNER_SESSION_TTL_SECONDS. */
  ttl?: number;
  role?: LearnerRole;
  /** For tests; the service's clock otherwise. */
  now?: Date;
}

@Injectable()
export class LearnerSessionsService {
  constructor(
    private readonly learnerSessions: LearnerSessionRepository,
    private readonly sandboxes: SandboxRepository,
    private readonly exercises: ExerciseRepository,
  ) {}

  /**
   * Creates a session for one learner of the tenant. The exercise must be the tenant's; a sandbox
   * must be the tenant's and either unowned or already the learner's. Every bound is checked here
   * as well as in the REST body, since the LTI launch calls this directly.
   */
  async create(input: NewLearnerSessionInput): Promise<CreatedLearnerSessionView> {
    const ttl = input.ttl ?? DEFAULT_LEARNER_SESSION_TTL_SECONDS;
    checkInput(input, ttl);
    if (input.exerciseId !== undefined) {
      if (!(await this.exercises.get(input.tenantId, input.exerciseId)))
        throw invalid('exerciseId', `no exercise ${input.exerciseId}`);
    }
    if (input.sandboxId !== undefined) {
      const sandbox = await this.sandboxes.get(input.tenantId, input.sandboxId);
      if (!sandbox || (sandbox.ownerRef !== null && sandbox.ownerRef !== input.learnerRef))
        throw invalid('sandboxId', `no sandbox ${input.sandboxId} of this learner`);
    }
    const now = input.now ?? new Date();
    const { session, token } = await this.learnerSessions.create(input.tenantId, {
      learnerRef: input.learnerRef,
      role: input.role ?? 'learner',
      exerciseId: input.exerciseId,
      sandboxId: input.sandboxId,
      expiresAt: new Date(now.getTime() + ttl * 1_000),
    });
    const path = pagePath(session);
    const fragment = `#token=${encodeURIComponent(token)}`;
    return {
      token,
      url: `${path}${fragment}`,
      embedUrl: `/embed/${session.tenantId}${path === '/' ? '' : path}${fragment}`,
      expiresAt: session.expiresAt.toISOString(),
      session: toView(session),
    };
  }

  async get(tenantId: string, id: string): Promise<LearnerSessionView> {
    const session = await this.learnerSessions.get(tenantId, id);
    if (!session) throw notFound(id);
    return toView(session);
  }

  /** Refused from the session's next request on. */
  async revoke(tenantId: string, id: string): Promise<void> {
    if (!(await this.learnerSessions.revoke(tenantId, id))) throw notFound(id);
  }
}

/** The page the session opens at: its sandbox, else its exercise, else the home screen. */
function pagePath(session: LearnerSessionRecord): string {
  if (session.sandboxId) return `/sandboxes/${session.sandboxId}`;
  if (session.exerciseId) return `/exercises/${session.exerciseId}`;
  return '/';
}

function checkInput(input: NewLearnerSessionInput, ttl: number): void {
  if (
    typeof input.learnerRef !== 'string' ||
    input.learnerRef.length < 1 ||
    input.learnerRef.length > MAX_LEARNER_REF_LENGTH
  )
    throw invalid('learnerRef', `must be 1 to ${MAX_LEARNER_REF_LENGTH} characters long`);
  if (
    !Number.isInteger(ttl) ||
    ttl < MIN_LEARNER_SESSION_TTL_SECONDS ||
    ttl > MAX_LEARNER_SESSION_TTL_SECONDS
  )
    throw invalid(
      'ttl',
      `must be an integer from ${MIN_LEARNER_SESSION_TTL_SECONDS} to ${MAX_LEARNER_SESSION_TTL_SECONDS} seconds`,
    );
  if (input.role !== undefined && input.role !== 'learner' && input.role !== 'instructor')
    throw invalid('role', 'must be learner or instructor');
  if (input.exerciseId !== undefined && !isUuid(input.exerciseId))
    throw invalid('exerciseId', 'must be a UUID');
  if (input.sandboxId !== undefined && !isUuid(input.sandboxId))
    throw invalid('sandboxId', 'must be a UUID');
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('validation-failed', `${field} ${message}`, [{ field, message }]);
}

function notFound(id: string): ApiError {
  return new ApiError('not-found', `learner session ${id} not found`);
}

function toView(session: LearnerSessionRecord): LearnerSessionView {
  return {
    id: session.id,
    learnerRef: session.learnerRef,
    role: session.role,
    exerciseId: session.exerciseId,
    sandboxId: session.sandboxId,
    expiresAt: session.expiresAt.toISOString(),
    revokedAt: session.revokedAt?.toISOString() ?? null,
    createdAt: session.createdAt.toISOString(),
  };
}
