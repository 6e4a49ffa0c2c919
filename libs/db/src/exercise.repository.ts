// Exercises a tenant published and the submissions learners made. Best and latest submission per
// learner read the (exercise, learner, score|created_at) indexes; `learnerRef` is opaque.
import { OUTBOX_EVENT_KINDS, type OutboxPayloads } from '@netplay/contracts';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { keysetPage, NEWEST_FIRST, type PageRequest, type PageResult } from './paging';
import { isUniqueViolation, isUuid } from './prisma-errors';

export interface ExerciseRecord {
  id: string;
  tenantId: string;
  slug: string;
  title: string;
  instructions: string;
  yaml: string;
  validated: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewExercise = Pick<
  ExerciseRecord,
  'slug' | 'title' | 'instructions' | 'yaml' | 'validated'
>;

export type SubmissionMode = 'full' | 'patch';
export type SubmissionStatus = 'queued' | 'graded' | 'failed';

export interface SubmissionRecord {
  id: string;
  tenantId: string;
  exerciseId: string;
  learnerRef: string;
  manifests: string;
  mode: SubmissionMode;
  status: SubmissionStatus;
  score: number | null;
  maxScore: number | null;
  result: Prisma.JsonValue | null;
  createdAt: Date;
  /** The LTI passback target (all three set, or none) and how the passback went. */
  ltiPlatformId: string | null;
  ltiLineItemUrl: string | null;
  ltiUserId: string | null;
  /** An LtiPassbackStatus, or null without an LTI target. */
  ltiStatus: string | null;
  ltiError: string | null;
}

/** `pending` until the score reached the platform (`sent`) or the passback failed for good or for now. */
export type LtiPassbackStatus = 'pending' | 'sent' | 'failed';

/** Where an LTI launch wants the score: a registered platform, the line item and the platform's user id. */
export interface SubmissionLtiTarget {
  platformId: string;
  lineItemUrl: string;
  userId: string;
}

export interface NewSubmission {
  learnerRef: string;
  manifests: string;
  mode: SubmissionMode;
  lti?: SubmissionLtiTarget;
}

export interface SubmissionGrade {
  status: 'graded' | 'failed';
  score?: number;
  maxScore?: number;
  result: Prisma.InputJsonValue;
}

export class ExerciseRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Creates the exercise; undefined when the tenant has one with the slug (the unique index
   * `(tenant_id, slug)` decides, so of two concurrent creates exactly one wins).
   */
  async create(tenantId: string, input: NewExercise): Promise<ExerciseRecord | undefined> {
    try {
      return await this.prisma.exercise.create({ data: { tenantId, ...input } });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** Creates the exercise, or replaces the one with the same slug (a re-publish). */
  upsert(tenantId: string, input: NewExercise): Promise<ExerciseRecord> {
    return this.prisma.exercise.upsert({
      where: { tenantId_slug: { tenantId, slug: input.slug } },
      create: { tenantId, ...input },
      update: input,
    });
  }

  async get(tenantId: string, id: string): Promise<ExerciseRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.exercise.findFirst({ where: { id, tenantId } })) ?? undefined;
  }

  async getBySlug(tenantId: string, slug: string): Promise<ExerciseRecord | undefined> {
    return (
      (await this.prisma.exercise.findUnique({ where: { tenantId_slug: { tenantId, slug } } })) ??
      undefined
    );
  }

  /** Newest first, a page at a time (keyset over the (tenant_id, created_at, id) index). */
  list(tenantId: string, request: PageRequest = {}): Promise<PageResult<ExerciseRecord>> {
    return keysetPage(request, (after, take) =>
      this.prisma.exercise.findMany({
        where: { tenantId, ...after },
        orderBy: NEWEST_FIRST,
        take,
      }),
    );
  }

  /** Deletes the exercise and its submissions (cascade); false when the tenant has no such exercise. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.exercise.deleteMany({ where: { id, tenantId } });
    return count === 1;
  }

  /**
   * Inserts the submission (queued) and its `submission.grade` outbox event in one transaction:
   * once this resolves the grading intent is committed even if the queue is down (the relay
   * delivers it later); if it rejects, neither row exists.
   */
  createSubmission(
    exercise: Pick<ExerciseRecord, 'id' | 'tenantId'>,
    input: NewSubmission,
  ): Promise<SubmissionRecord> {
    return this.prisma.$transaction(async (tx) => {
      const { lti, ...fields } = input;
      const target = lti
        ? {
            ltiPlatformId: lti.platformId,
            ltiLineItemUrl: lti.lineItemUrl,
            ltiUserId: lti.userId,
            ltiStatus: 'pending',
          }
        : {};
      const submission = await tx.submission.create({
        data: { tenantId: exercise.tenantId, exerciseId: exercise.id, ...fields, ...target },
      });
      const payload: OutboxPayloads['submission.grade'] = { submissionId: submission.id };
      await tx.outboxEvent.create({
        data: { submissionId: submission.id, kind: OUTBOX_EVENT_KINDS.submissionGrade, payload },
      });
      return submission;
    });
  }

  /** Submissions still queued that were created before `createdBefore`, oldest first (for the reconciler). */
  listQueuedSubmissions(createdBefore: Date, limit = 100): Promise<Array<{ id: string }>> {
    return this.prisma.submission.findMany({
      where: { status: 'queued', createdAt: { lt: createdBefore } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true },
    });
  }

  /** Fails a submission the queue gave up on; false when it was graded meanwhile (compare-and-set). */
  failQueuedSubmission(id: string, error: string): Promise<boolean> {
    return this.recordGrade(id, { status: 'failed', result: { error } });
  }

  async getSubmission(tenantId: string, id: string): Promise<SubmissionRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.submission.findFirst({ where: { id, tenantId } })) ?? undefined;
  }

  /** For the grading job, which knows only the id (job payloads carry ids only). */
  async getSubmissionForWorker(id: string): Promise<SubmissionRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.submission.findUnique({ where: { id } })) ?? undefined;
  }

  /** Stores the grade once: a duplicate grading job finds the submission no longer queued. */
  async recordGrade(id: string, grade: SubmissionGrade): Promise<boolean> {
    const { count } = await this.prisma.submission.updateMany({
      where: { id, status: 'queued' },
      data: {
        status: grade.status,
        score: grade.score,
        maxScore: grade.maxScore,
        result: grade.result,
      },
    });
    return count === 1;
  }

  /** Records how the LTI passback of a graded submission went (each attempt overwrites the last). */
  async recordLtiOutcome(
    id: string,
    outcome: { status: LtiPassbackStatus; error?: string },
  ): Promise<void> {
    await this.prisma.submission.updateMany({
      where: { id },
      data: { ltiStatus: outcome.status, ltiError: outcome.error ?? null },
    });
  }

  async latestSubmission(
    exerciseId: string,
    learnerRef: string,
  ): Promise<SubmissionRecord | undefined> {
    return (
      (await this.prisma.submission.findFirst({
        where: { exerciseId, learnerRef },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      })) ?? undefined
    );
  }

  /** The highest graded score; ties go to the earliest submission that reached it. */
  async bestSubmission(
    exerciseId: string,
    learnerRef: string,
  ): Promise<SubmissionRecord | undefined> {
    return (
      (await this.prisma.submission.findFirst({
        where: { exerciseId, learnerRef, status: 'graded' },
        orderBy: [{ score: { sort: 'desc', nulls: 'last' } }, { createdAt: 'asc' }],
      })) ?? undefined
    );
  }
}
