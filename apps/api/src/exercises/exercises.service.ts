// Exercises and submissions for REST and GraphQL alike, scoped by the caller's tenant (another
// tenant's exercise or submission is "not found"). Publishing validates the exercise with the
// grading library: an exercise whose checks cannot teach (one passes at the start, one fails on the
// reference solution) is refused with 422 naming the check. Submissions are graded by a job.
import { Inject, Injectable } from '@nestjs/common';
import type {
  ExerciseRecord,
  SubmissionLtiTarget,
  SubmissionMode,
  SubmissionRecord,
} from '@netplay/db';
import {
  learnerView,
  readExercise,
  validateExercise,
  type Exercise,
  type ExerciseIssue,
  type GradeResult,
  type LearnerGradeView,
} from '@netplay/grading';
import type { GradingRuntime } from '@netplay/jobs';
import { ApiError } from '../errors/api-error';
import { pageView } from '../paging/page-view';
import { LtiService } from '../lti/lti.service';
import { GRADING_RUNTIME } from '../webhooks/grading-runtime.module';

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
    @Inject(GRADING_RUNTIME) private readonly runtime: GradingRuntime,
    private readonly lti: LtiService,
  ) {}

  async create(tenantId: string, yaml: string): Promise<ExerciseView> {
    const exercise = readValidated(yaml);
    const created = await this.runtime.exercises.create(tenantId, recordOf(exercise, yaml));
    if (!created)
      throw new ApiError(
        'conflict',
        `an exercise named "${exercise.name}" exists; PATCH it to publish a new version`,
        [{ field: 'yaml', message: 'metadata.name is taken' }],
      );
    return toExerciseView(created);
  }

  async get(tenantId: string, id: string): Promise<ExerciseView> {
    return toExerciseView(await this.record(tenantId, id));
  }

  /** Newest first, a page at a time; the YAML only when asked (`includeYaml`). */
  async list(tenantId: string, input: ExerciseListInput = {}): Promise<ExercisePage> {
    return pageView(await this.runtime.exercises.list(tenantId, input), (record) => {
      const view = toExerciseView(record);
      if (input.includeYaml) return view;
      const { yaml: _yaml, ...summary } = view;
      return summary;
    });
  }

  /** A new version of the exercise; its `metadata.name` (the slug) cannot change. */
  async update(tenantId: string, id: string, yaml: string): Promise<ExerciseView> {
    const existing = await this.record(tenantId, id);
    const exercise = readValidated(yaml);
    if (exercise.name !== existing.slug) {
      throw new ApiError('invalid-exercise', `metadata.name must stay "${existing.slug}"`, [
        { field: 'yaml', message: `metadata.name must stay "${existing.slug}"` },
      ]);
    }
    return toExerciseView(await this.runtime.exercises.upsert(tenantId, recordOf(exercise, yaml)));
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.runtime.exercises.delete(tenantId, id))) throw notFound('exercise', id);
  }

  /**
   * Stores the submission (queued) with its grading outbox event in one transaction and nudges the
   * relay; the answer is 202 with its Location even while the grading queue is unreachable (the
   * relay delivers the job once it is back).
   */
  async submit(
    tenantId: string,
    exerciseId: string,
    input: SubmissionInput,
  ): Promise<SubmissionView> {
    const exercise = await this.record(tenantId, exerciseId);
    if (input.lti) await this.lti.checkSubmissionTarget(tenantId, input.lti);
    const submission = await this.runtime.exercises.createSubmission(exercise, input);
    this.runtime.gradingDispatcher.nudge();
    return toSubmissionView(submission, 'learner');
  }

  async getSubmission(
    tenantId: string,
    id: string,
    view: SubmissionViewKind,
  ): Promise<SubmissionView> {
    const submission = await this.runtime.exercises.getSubmission(tenantId, id);
    if (!submission) throw notFound('submission', id);
    return toSubmissionView(submission, view);
  }

  async scores(
    tenantId: string,
    exerciseId: string,
    learnerRef: string,
    view: SubmissionViewKind,
  ): Promise<LearnerScores> {
    const exercise = await this.record(tenantId, exerciseId);
    const [best, latest] = await Promise.all([
      this.runtime.exercises.bestSubmission(exercise.id, learnerRef),
      this.runtime.exercises.latestSubmission(exercise.id, learnerRef),
    ]);
    return {
      exerciseId: exercise.id,
      learnerRef,
      best: best ? toSubmissionView(best, view) : null,
      latest: latest ? toSubmissionView(latest, view) : null,
    };
  }

  private async record(tenantId: string, id: string): Promise<ExerciseRecord> {
    const exercise = await this.runtime.exercises.get(tenantId, id);
    if (!exercise) throw notFound('exercise', id);
    return exercise;
  }
}

/** Reads and validates; every error names its path or check (e.g. `check "db-isolated": passes on the starting sandbox`). */
export function readValidated(yaml: string): Exercise {
  const read = readExercise(yaml);
  const issues: ExerciseIssue[] = read.exercise
    ? [...read.issues, ...validateExercise(read.exercise)]
    : read.issues;
  const errors = issues.filter((issue) => issue.severity === 'error');
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

function recordOf(exercise: Exercise, yaml: string) {
  return {
    slug: exercise.name,
    title: exercise.title,
    instructions: exercise.instructions,
    yaml,
    validated: true,
  };
}

function toExerciseView(record: ExerciseRecord): ExerciseView {
  const checks = readExercise(record.yaml).exercise?.checks ?? [];
  return {
    id: record.id,
    slug: record.slug,
    title: record.title,
    instructions: record.instructions,
    yaml: record.yaml,
    validated: record.validated,
    checks: checks
      .filter((check) => !check.hidden)
      .map((check) => ({ id: check.id, title: check.title, points: check.points })),
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
