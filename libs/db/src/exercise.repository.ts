// Exercises a tenant published and the submissions learners made. Best and latest submission per
// learner read the (exercise, learner, score|created_at) indexes; `learnerRef` is opaque.
import { isUuid, OUTBOX_EVENT_KINDS, type OutboxPayloads } from '@netplay/contracts';
import { Prisma, type PrismaClient } from './generated/prisma/client';
import { keysetPage, NEWEST_FIRST, type Page, type PageRequest } from './paging';
import { ownedBy, scopeOf, type OwnerScope } from './owner-scope';
import { isUniqueViolation } from './prisma-errors';
import { RepositoryError } from './repository-error';

export interface ExerciseRecord {
  id: string;
  tenantId: string;
  slug: string;
  title: string;
  instructions: string;
  yaml: string;
  validated: boolean;
  /** The digest's columns (StoredExerciseDigest), all null on a row published before digests were. */
  points: number | null;
  visibleChecks: Prisma.JsonValue | null;
  learnerYaml: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A page's exercise without its YAML texts (`list` without `withYaml`). */
export type ExerciseSummaryRecord = Omit<ExerciseRecord, 'yaml' | 'learnerYaml'>;

/** What views of an exercise need, computed when it is published (libs/grading exerciseDigest). */
export interface StoredExerciseDigest {
  points: number;
  visibleChecks: { id: string; title: string; points: number }[];
  learnerYaml: string;
}

export type NewExercise = Pick<
  ExerciseRecord,
  'slug' | 'title' | 'instructions' | 'yaml' | 'validated'
> & { digest?: StoredExerciseDigest };

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
  /** The learner session's learnerRef that made it; null for a tenant key's submission. */
  ownerRef: string | null;
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
  /** Set when a learner session submits: only that learner's session sees it. */
  ownerRef?: string;
}

export interface SubmissionGrade {
  status: 'graded' | 'failed';
  score?: number;
  maxScore?: number;
  result: Prisma.InputJsonValue;
}

/** One learner's submissions of an exercise, summed up (the instructor's results view). */
export interface LearnerResultRow {
  learnerRef: string;
  attempts: number;
  /** The highest graded score; null while none was graded. */
  bestScore: number | null;
  maxScore: number | null;
  /** A graded submission passed every check (hidden ones included). */
  passed: boolean;
  lastSubmittedAt: Date;
}

export class ExerciseRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Creates the exercise; `already-exists` when the tenant has one with the slug (the unique index
   * `(tenant_id, slug)` decides, so of two concurrent creates exactly one wins).
   */
  async create(tenantId: string, input: NewExercise): Promise<ExerciseRecord> {
    try {
      return await this.prisma.exercise.create({ data: { tenantId, ...exerciseColumns(input) } });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new RepositoryError('already-exists', `an exercise named "${input.slug}" exists`);
      throw error;
    }
  }

  /** Creates the exercise, or replaces the one with the same slug (a re-publish). */
  upsert(tenantId: string, input: NewExercise): Promise<ExerciseRecord> {
    const columns = exerciseColumns(input);
    return this.prisma.exercise.upsert({
      where: { tenantId_slug: { tenantId, slug: input.slug } },
      create: { tenantId, ...columns },
      update: columns,
    });
  }

  /**
   * Stores the digest of a row published before digests were, computed from `exercise.yaml`,
   * unless another version was published since it was read (its YAML is another). Raw SQL so
   * `updated_at` keeps saying when the version was published.
   */
  async saveDigest(
    exercise: Pick<ExerciseRecord, 'id' | 'yaml'>,
    digest: StoredExerciseDigest,
  ): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE exercise
         SET points = ${digest.points},
             visible_checks = ${JSON.stringify(digest.visibleChecks)}::jsonb,
             learner_yaml = ${digest.learnerYaml}
       WHERE id = ${exercise.id}::uuid AND yaml = ${exercise.yaml} AND points IS NULL`;
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

  /**
   * Newest first, a page at a time (keyset over the (tenant_id, created_at, id) index), without
   * the YAML texts (up to 2 MiB each) unless `withYaml`.
   */
  list(tenantId: string, request?: PageRequest): Promise<Page<ExerciseSummaryRecord>>;
  list(
    tenantId: string,
    request: PageRequest,
    options: { withYaml: true },
  ): Promise<Page<ExerciseRecord>>;
  list(
    tenantId: string,
    request: PageRequest = {},
    options: { withYaml?: boolean } = {},
  ): Promise<Page<ExerciseSummaryRecord>> {
    return keysetPage(request, (after, take) =>
      this.prisma.exercise.findMany({
        where: { tenantId, ...after },
        orderBy: NEWEST_FIRST,
        take,
        omit: { yaml: !options.withYaml, learnerYaml: !options.withYaml },
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

  async getSubmission(
    scope: OwnerScope | string,
    id: string,
  ): Promise<SubmissionRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (
      (await this.prisma.submission.findFirst({ where: { id, ...ownedBy(scopeOf(scope)) } })) ??
      undefined
    );
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

  /** `ownerRef`: a learner session's own submissions only. */
  async latestSubmission(
    exerciseId: string,
    learnerRef: string,
    ownerRef?: string,
  ): Promise<SubmissionRecord | undefined> {
    return (
      (await this.prisma.submission.findFirst({
        where: { exerciseId, learnerRef, ...(ownerRef === undefined ? {} : { ownerRef }) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      })) ?? undefined
    );
  }

  /** The highest graded score; ties go to the earliest submission that reached it. */
  async bestSubmission(
    exerciseId: string,
    learnerRef: string,
    ownerRef?: string,
  ): Promise<SubmissionRecord | undefined> {
    return (
      (await this.prisma.submission.findFirst({
        where: {
          exerciseId,
          learnerRef,
          status: 'graded',
          ...(ownerRef === undefined ? {} : { ownerRef }),
        },
        orderBy: [{ score: { sort: 'desc', nulls: 'last' } }, { createdAt: 'asc' }],
      })) ?? undefined
    );
  }

  /**
   * Learners' submissions of an exercise summed up, a page at a time in learner reference order
   * (byte order, `COLLATE "C"`, so callers merging other refs in compare the same way): at most
   * `limit` learners after `after`, leaving out `excludeRefs` (the course's instructors).
   */
  async learnerResults(
    tenantId: string,
    exerciseId: string,
    page: { after?: string; excludeRefs: string[]; limit: number },
  ): Promise<LearnerResultRow[]> {
    if (!isUuid(exerciseId) || !isUuid(tenantId)) return [];
    const rows = await this.prisma.$queryRaw<
      {
        learner_ref: string;
        attempts: number;
        best_score: number | null;
        max_score: number | null;
        passed: boolean;
        last_submitted_at: Date;
      }[]
    >`
      SELECT learner_ref,
             count(*)::int AS attempts,
             max(score) FILTER (WHERE status = 'graded') AS best_score,
             max(max_score) FILTER (WHERE status = 'graded') AS max_score,
             coalesce(bool_or(status = 'graded' AND (result->>'passed')::boolean), false) AS passed,
             max(created_at) AS last_submitted_at
      FROM submission
      WHERE tenant_id = ${tenantId}::uuid AND exercise_id = ${exerciseId}::uuid
        AND learner_ref COLLATE "C" > ${page.after ?? ''}
        AND NOT (learner_ref = ANY(${page.excludeRefs}::text[]))
      GROUP BY learner_ref
      ORDER BY learner_ref COLLATE "C"
      LIMIT ${page.limit}`;
    return rows.map((row) => ({
      learnerRef: row.learner_ref,
      attempts: row.attempts,
      bestScore: row.best_score,
      maxScore: row.max_score,
      passed: row.passed,
      lastSubmittedAt: row.last_submitted_at,
    }));
  }

  /**
   * How many learners submitted the exercise and passed it, leaving out `excludeRefs`, and how
   * many of those who submitted are among `rosterRefs` (so the caller counts the roster's others).
   */
  async learnerResultCounts(
    tenantId: string,
    exerciseId: string,
    refs: { excludeRefs: string[]; rosterRefs: string[] },
  ): Promise<{ submitted: number; passed: number; submittedInRoster: number }> {
    if (!isUuid(exerciseId) || !isUuid(tenantId))
      return { submitted: 0, passed: 0, submittedInRoster: 0 };
    const [row] = await this.prisma.$queryRaw<
      { submitted: number; passed: number; submitted_in_roster: number }[]
    >`
      SELECT count(*)::int AS submitted,
             (count(*) FILTER (WHERE passed))::int AS passed,
             (count(*) FILTER (WHERE learner_ref = ANY(${refs.rosterRefs}::text[])))::int
               AS submitted_in_roster
      FROM (
        SELECT learner_ref,
               coalesce(bool_or(status = 'graded' AND (result->>'passed')::boolean), false) AS passed
        FROM submission
        WHERE tenant_id = ${tenantId}::uuid AND exercise_id = ${exerciseId}::uuid
          AND NOT (learner_ref = ANY(${refs.excludeRefs}::text[]))
        GROUP BY learner_ref
      ) learners`;
    return {
      submitted: row?.submitted ?? 0,
      passed: row?.passed ?? 0,
      submittedInRoster: row?.submitted_in_roster ?? 0,
    };
  }
}

/** A version published without its digest clears the previous version's: it is computed on read. */
function exerciseColumns({ digest, ...fields }: NewExercise) {
  return {
    ...fields,
    points: digest?.points ?? null,
    visibleChecks: digest?.visibleChecks ?? Prisma.DbNull,
    learnerYaml: digest?.learnerYaml ?? null,
  };
}
