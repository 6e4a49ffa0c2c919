// The grading job: one submission, from its id to one stored grade and one `submission.graded`
// webhook event. Delivery is at-least-once, so every step is safe to repeat: the grade is stored
// with a compare-and-set (only a queued submission takes it), and the event is published from the
// STORED row with the dedupe key `submission.graded:<id>`, so a retry after a crash between the two
// steps publishes the first grade, and a duplicate delivery yields the same event id.
// Used by the worker process and, in embedded mode, in-process by the API.
import type { ExerciseRecord, SubmissionGrade, SubmissionRecord } from '@netplay/db';
import type { GradeResult } from '@netplay/grading';
import type { WebhookEventData } from '@netplay/webhooks';
import { EngineBudgetExceededError } from './engine-pool/engine-pool';
import { LoadedClusters, runEngineTask, type GradeTask } from './engine-pool/engine-tasks';
import type { EngineTaskRunner } from './engine-pool/scenario-engine';

export interface SubmissionGradeDeps {
  exercises: {
    getSubmissionForWorker(id: string): Promise<SubmissionRecord | undefined>;
    get(tenantId: string, id: string): Promise<ExerciseRecord | undefined>;
    recordGrade(id: string, grade: SubmissionGrade): Promise<boolean>;
  };
  /** publishWebhookEvent from @netplay/webhooks, bound to its repositories and delivery queue. */
  publishGraded(
    tenantId: string,
    data: WebhookEventData['submission.graded'],
    dedupeKey: string,
  ): Promise<unknown>;
  /**
   * Sends the stored grade to the LMS when the submission carries an LTI target (lti-score-passback.ts).
   * Rejects for a failure a retry can fix; runs again on every delivery until the score was sent.
   */
  passBackScore?(submission: SubmissionRecord): Promise<unknown>;
  /**
   * Runs the grading off this thread (the engine pool), within its time and memory budget: a
   * submission over it is failed with the reason. Without it grading runs inline.
   */
  engine?: EngineTaskRunner;
}

export type SubmissionGradeOutcome =
  | { kind: 'missing' }
  /** This delivery stored the grade. */
  | { kind: 'graded'; status: 'graded' | 'failed'; score: number; maxScore: number }
  /** An earlier delivery had stored it; the event was published again (a no-op with its dedupe key). */
  | { kind: 'already-graded' };

export const EXERCISE_UNREADABLE_ERROR =
  'internal: the exercise of this submission no longer reads';
export const GRADING_CRASH_ERROR_PREFIX = 'internal: grading failed';

export async function handleSubmissionGrade(
  deps: SubmissionGradeDeps,
  submissionId: string,
): Promise<SubmissionGradeOutcome> {
  const submission = await deps.exercises.getSubmissionForWorker(submissionId);
  if (!submission) return { kind: 'missing' };
  const exercise = await deps.exercises.get(submission.tenantId, submission.exerciseId);
  if (!exercise) return { kind: 'missing' };

  let stored = false;
  if (submission.status === 'queued') {
    stored = await deps.exercises.recordGrade(
      submission.id,
      await gradeOf(deps, exercise, submission),
    );
  }
  // Re-read after a grading attempt: this delivery's grade, or the one a concurrent delivery stored.
  const final =
    submission.status === 'queued'
      ? await deps.exercises.getSubmissionForWorker(submission.id)
      : submission;
  if (!final || final.status === 'queued') return { kind: 'missing' };
  await deps.publishGraded(
    final.tenantId,
    gradedEventData(exercise, final),
    `submission.graded:${final.id}`,
  );
  if (deps.passBackScore) await deps.passBackScore(final);
  return stored
    ? {
        kind: 'graded',
        status: final.status,
        score: final.score ?? 0,
        maxScore: final.maxScore ?? 0,
      }
    : { kind: 'already-graded' };
}

/**
 * Grading is pure and deterministic: an exercise that no longer reads, a submission over the
 * engine's budget or one the engine throws on is failed with its reason (a retry would end the
 * same way) instead of being retried.
 */
async function gradeOf(
  deps: SubmissionGradeDeps,
  exercise: ExerciseRecord,
  submission: SubmissionRecord,
): Promise<SubmissionGrade> {
  const task: GradeTask = {
    kind: 'grade',
    exerciseYaml: exercise.yaml,
    submission: { mode: submission.mode, manifests: submission.manifests },
  };
  try {
    const answer = deps.engine
      ? await deps.engine.run(task, { tenant: submission.tenantId })
      : runEngineTask(task, new LoadedClusters(0));
    if (answer.status === 'exercise-unreadable') return failed(EXERCISE_UNREADABLE_ERROR);
    return {
      status: 'graded',
      score: answer.score,
      maxScore: answer.maxScore,
      result: answer.result as SubmissionGrade['result'],
    };
  } catch (error) {
    if (error instanceof EngineBudgetExceededError) return failed(error.message);
    return failed(
      `${GRADING_CRASH_ERROR_PREFIX}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function failed(error: string): SubmissionGrade {
  return { status: 'failed', score: 0, maxScore: 0, result: { error } };
}

/** Thin payload: visible check ids only, hidden ones are never named (docs/webhooks.md). */
export function gradedEventData(
  exercise: Pick<ExerciseRecord, 'id' | 'slug'>,
  submission: SubmissionRecord,
): WebhookEventData['submission.graded'] {
  const result = submission.result as unknown as Partial<GradeResult> | null;
  const visible = (result?.checks ?? []).filter((check) => !check.hidden);
  return {
    submissionId: submission.id,
    exerciseId: exercise.id,
    exerciseSlug: exercise.slug,
    learnerRef: submission.learnerRef,
    status: submission.status === 'graded' ? 'graded' : 'failed',
    score: submission.score ?? 0,
    maxScore: submission.maxScore ?? 0,
    passedChecks: visible.filter((check) => check.passed).map((check) => check.id),
    failedChecks: visible.filter((check) => !check.passed).map((check) => check.id),
  };
}
