// Exercises and submissions for REST and GraphQL alike, scoped by the caller's tenant (another
// tenant's exercise or submission is "not found"). Publishing validates the exercise with the
// grading library in the engine pool (it runs the engine twice): an exercise whose checks cannot
// teach (one passes at the start, one fails on the reference solution) is refused with 422 naming
// the check. Submissions are graded by a job.
import { Injectable } from '@nestjs/common';
import type {
  ExerciseRecord,
  ExerciseSummaryRecord,
  StoredExerciseDigest,
  SubmissionLtiTarget,
  SubmissionMode,
  SubmissionRecord,
} from '@netplay/db';
import type { ExerciseAnswer } from '@netplay/jobs';
import {
  learnerView,
  type Exercise,
  type GradeResult,
  type LearnerGradeView,
} from '@netplay/grading';
import type { CallerIdentity } from '../auth/request-of';
import { ApiError } from '../errors/api-error';
import { refusedAs } from '../errors/repository-refusal';
import { pageViewOf } from '../paging/page-view';
import { LtiService } from '../lti/lti.service';
import { ExerciseRepository } from '@netplay/db';
import { GradingDispatchService } from '../infra/grading-dispatch.service';
import { ApiEngine } from '../engine/api-engine';
import { ExerciseDigests, type ExerciseSummaryDigest } from './exercise-digests';

export interface ExerciseView {
  id: string;
  slug: string;
  title: string;
  instructions: string;
  yaml: string;
  validated: boolean;
  checks: { id: string; title: string; points: number }[];
  createdAt: string;
  updatedAt: string;
}

export interface ExerciseListInput {
  cursor?: string;
  limit?: number;
  includeYaml?: boolean;
}

/** A listed exercise: its YAML only when the listing asked for it. */
export type ExerciseListItem = Omit<ExerciseView, 'yaml'> & { yaml?: string };

export interface ExercisePage {
  items: ExerciseListItem[];
  nextCursor?: string;
}

export type SubmissionViewKind = 'learner' | 'full';

export interface SubmissionView {
  id: string;
  exerciseId: string;
  learnerRef: string;
  mode: SubmissionMode;
  status: SubmissionRecord['status'];
  score: number | null;
  maxScore: number | null;
  /** The learner view (hidden checks reduced to counts) unless the full view was asked for. */
  result: LearnerGradeView | GradeResult | { error: string } | null;
  /** The LTI passback target and how the passback went; null without one. */
  lti: SubmissionLtiView | null;
  createdAt: string;
}

export interface SubmissionLtiView extends SubmissionLtiTarget {
  /** pending | sent | failed */
  status: string;
  error: string | null;
}

export interface SubmissionInput {
  learnerRef: string;
  manifests: string;
  mode: SubmissionMode;
  /** Where to pass the score back (LTI 1.3 AGS), from the learner's launch. */
  lti?: SubmissionLtiTarget;
}

export interface LearnerScores {
  exerciseId: string;
  learnerRef: string;
  best: SubmissionView | null;
  latest: SubmissionView | null;
}

@Injectable()
export class ExercisesService {
  constructor(
    private readonly exercises: ExerciseRepository,
    private readonly gradingDispatch: GradingDispatchService,
    private readonly lti: LtiService,
    private readonly engine: ApiEngine,
    private readonly digests: ExerciseDigests,
  ) {}

  /**
   * Reads and validates in the engine pool, within its budget; refused with every error found.
   * The digest its views read comes from the same pass.
   */
  private async validated(
    tenantId: string,
    yaml: string,
  ): Promise<{ exercise: Exercise; digest: StoredExerciseDigest | null }> {
    const read = await this.engine.run(tenantId, { kind: 'exercise', yaml });
    return { exercise: exerciseOrRefusal(read), digest: read.digest };
  }

  async create(tenantId: string, yaml: string): Promise<ExerciseView> {
    const { exercise, digest } = await this.validated(tenantId, yaml);
    const created = await this.exercises
      .create(tenantId, recordOf(exercise, yaml, digest))
      .catch(
        refusedAs(
          'already-exists',
          () =>
            new ApiError(
              'conflict',
              `an exercise named "${exercise.name}" exists; PATCH it to publish a new version`,
              [{ field: 'yaml', message: 'metadata.name is taken' }],
            ),
        ),
      );
    return this.view(created);
  }

  /** A learner session gets the YAML without the reference solution and the checks. */
  async get(caller: CallerIdentity, id: string): Promise<ExerciseView> {
    return this.view(await this.record(caller.tenantId, id), caller);
  }

  /** Newest first, a page at a time; the YAML only when asked (`includeYaml`). */
  async list(caller: CallerIdentity, input: ExerciseListInput = {}): Promise<ExercisePage> {
    const { includeYaml, ...request } = input;
    if (includeYaml)
      return pageViewOf(
        await this.exercises.list(caller.tenantId, request, { withYaml: true }),
        (record) => this.view(record, caller),
      );
    return pageViewOf(await this.exercises.list(caller.tenantId, request), async (record) =>
      summaryView(record, await this.digests.summaryOf(record)),
    );
  }

  /** The view of an exercise; a learner session's without its reference solution and checks. */
  private async view(record: ExerciseRecord, caller?: CallerIdentity): Promise<ExerciseView> {
    const digest = await this.digests.of(record);
    const yaml = caller?.learner?.role === 'learner' ? digest.learnerYaml : record.yaml;
    return { ...summaryView(record, digest), yaml };
  }

  /** A new version of the exercise; its `metadata.name` (the slug) cannot change. */
  async update(tenantId: string, id: string, yaml: string): Promise<ExerciseView> {
    const existing = await this.record(tenantId, id);
    const { exercise, digest } = await this.validated(tenantId, yaml);
    if (exercise.name !== existing.slug) {
      throw new ApiError('invalid-exercise', `metadata.name must stay "${existing.slug}"`, [
        { field: 'yaml', message: `metadata.name must stay "${existing.slug}"` },
      ]);
    }
    return this.view(await this.exercises.upsert(tenantId, recordOf(exercise, yaml, digest)));
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.exercises.delete(tenantId, id))) throw notFound('exercise', id);
  }

  /**
   * Stores the submission (queued) with its grading outbox event in one transaction and nudges the
   * relay; the answer is 202 with its Location even while the grading queue is unreachable (the
   * relay delivers the job once it is back).
   */
  async submit(
    caller: CallerIdentity,
    exerciseId: string,
    input: SubmissionInput,
  ): Promise<SubmissionView> {
    const { tenantId } = caller;
    if (caller.learner) checkLearnerSubmission(caller.learner.learnerRef, input);
    const exercise = await this.record(tenantId, exerciseId);
    if (input.lti) await this.lti.checkSubmissionTarget(tenantId, input.lti);
    // A session an LTI launch opened passes its grades back to the launch's line item.
    const launchTarget = caller.learner
      ? await this.lti.launchTarget(tenantId, caller.learner.sessionId, {
          ...exercise,
          points: await this.digests.pointsOf(exercise),
        })
      : undefined;
    const submission = await this.exercises.createSubmission(exercise, {
      ...input,
      ...(launchTarget ? { lti: launchTarget } : {}),
      ...(caller.ownerRef === undefined ? {} : { ownerRef: caller.ownerRef }),
    });
    this.gradingDispatch.nudge();
    return toSubmissionView(submission, 'learner');
  }

  /** A learner reads only its own submissions, in the learner view; an instructor reads any. */
  async getSubmission(
    caller: CallerIdentity,
    id: string,
    view: SubmissionViewKind,
  ): Promise<SubmissionView> {
    const submission = await this.exercises.getSubmission(submissionScope(caller), id);
    if (!submission) throw notFound('submission', id);
    return toSubmissionView(submission, viewFor(caller, view));
  }

  async scores(
    caller: CallerIdentity,
    exerciseId: string,
    learnerRef: string,
    view: SubmissionViewKind,
  ): Promise<LearnerScores> {
    const exercise = await this.record(caller.tenantId, exerciseId);
    const { ownerRef } = submissionScope(caller);
    // Another learner's scores read as none at all, as another tenant's would.
    const visible = ownerRef === undefined || ownerRef === learnerRef;
    const [best, latest] = visible
      ? await Promise.all([
          this.exercises.bestSubmission(exercise.id, learnerRef, ownerRef),
          this.exercises.latestSubmission(exercise.id, learnerRef, ownerRef),
        ])
      : [undefined, undefined];
    view = viewFor(caller, view);
    return {
      exerciseId: exercise.id,
      learnerRef,
      best: best ? toSubmissionView(best, view) : null,
      latest: latest ? toSubmissionView(latest, view) : null,
    };
  }

  private async record(tenantId: string, id: string): Promise<ExerciseRecord> {
    const exercise = await this.exercises.get(tenantId, id);
    if (!exercise) throw notFound('exercise', id);
    return exercise;
  }
}

/** A learner session sees its own submissions; an instructor session and tenant keys see all. */
function submissionScope(caller: CallerIdentity): { tenantId: string; ownerRef?: string } {
  return caller.learner?.role === 'learner' && caller.ownerRef !== undefined
    ? { tenantId: caller.tenantId, ownerRef: caller.ownerRef }
    : { tenantId: caller.tenantId };
}

/** Hidden checks stay hidden from learners whatever view they ask for. */
function viewFor(caller: CallerIdentity, view: SubmissionViewKind): SubmissionViewKind {
  return caller.learner?.role === 'learner' ? 'learner' : view;
}

/**
 * A learner submits as itself only, and without an LTI passback target: a target names a platform
 * user, and only the tenant (or its launch) may say which user a score goes to.
 */
function checkLearnerSubmission(learnerRef: string, input: SubmissionInput): void {
  if (input.learnerRef !== learnerRef)
    throw new ApiError('forbidden', 'a learner session submits only as its own learnerRef', [
      { field: 'learnerRef', message: `must be ${learnerRef}` },
    ]);
  if (input.lti)
    throw new ApiError('forbidden', 'a learner session cannot set an LTI passback target', [
      { field: 'lti', message: 'only a tenant API key may set it' },
    ]);
}

/** The exercise, or a 422 whose every error names its path or check (e.g. `check "db-isolated": passes on the starting sandbox`). */
export function exerciseOrRefusal(read: ExerciseAnswer): Exercise {
  const errors = read.issues.filter((issue) => issue.severity === 'error');
  if (!read.exercise || errors.length > 0) {
    const details = errors.map((issue) => ({
      field: issue.path ? `yaml: ${issue.path}` : 'yaml',
      code: issue.code,
      ...(issue.check ? { check: issue.check } : {}),
      message: issue.message,
    }));
    throw new ApiError(
      'invalid-exercise',
      errors.map((issue) => issue.message).join('; ') || 'the exercise does not read',
      details,
    );
  }
  return read.exercise;
}

function recordOf(exercise: Exercise, yaml: string, digest: StoredExerciseDigest | null) {
  return {
    slug: exercise.name,
    title: exercise.title,
    instructions: exercise.instructions,
    yaml,
    validated: true,
    ...(digest ? { digest } : {}),
  };
}

function summaryView(
  record: ExerciseSummaryRecord,
  digest: ExerciseSummaryDigest,
): ExerciseListItem {
  return {
    id: record.id,
    slug: record.slug,
    title: record.title,
    instructions: record.instructions,
    validated: record.validated,
    checks: digest.visibleChecks,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function toSubmissionView(
  record: SubmissionRecord,
  view: SubmissionViewKind,
): SubmissionView {
  return {
    id: record.id,
    exerciseId: record.exerciseId,
    learnerRef: record.learnerRef,
    mode: record.mode,
    status: record.status,
    score: record.score,
    maxScore: record.maxScore,
    result: resultView(record, view),
    lti: ltiView(record),
    createdAt: record.createdAt.toISOString(),
  };
}

function ltiView(record: SubmissionRecord): SubmissionLtiView | null {
  if (!record.ltiLineItemUrl || !record.ltiUserId) return null;
  return {
    platformId: record.ltiPlatformId ?? '',
    lineItemUrl: record.ltiLineItemUrl,
    userId: record.ltiUserId,
    status: record.ltiStatus ?? 'pending',
    error: record.ltiError,
  };
}

function resultView(record: SubmissionRecord, view: SubmissionViewKind): SubmissionView['result'] {
  if (record.result === null) return null;
  const stored = record.result as unknown as GradeResult | { error: string };
  if (!('checks' in stored)) return stored;
  return view === 'full' ? stored : learnerView(stored);
}

function notFound(what: string, id: string): ApiError {
  return new ApiError('not-found', `no ${what} ${id}`);
}
