// The grading job: one submission, from its id to one stored grade and one `submission.graded`
// webhook event. Delivery is at-least-once, so every step is safe to repeat: the grade is stored
// with a compare-and-set (only a queued submission takes it), and the event is published from the
// STORED row with the dedupe key `submission.graded:<id>`, so a retry after a crash between the two
// steps publishes the first grade, and a duplicate delivery yields the same event id.
// Used by the worker process and, in embedded mode, in-process by the API.
import type { ExerciseRecord, SubmissionGrade, SubmissionRecord } from '@netplay/db';
import { gradeSubmission, readExercise, type GradeResult } from '@netplay/grading';
import type { WebhookEventData } from '@netplay/webhooks';

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
}

export type SubmissionGradeOutcome =
  | { kind: 'missing' }
  /** This delivery stored the grade. */
  | { kind: 'graded'; status: 'graded' | 'failed'; score: number; maxScore: number }
  /** An earlier delivery had stored it; the event was published again (a no-op with its dedupe key). */
  | { kind: 'already-graded' };

export const EXERCISE_UNREADABLE_ERROR =
  'internal: the exercise of this submission no longer reads';

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
    stored = await deps.exercises.recordGrade(submission.id, gradeOf(exercise, submission));
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

/** Grading is pure; an exercise that no longer reads fails the submission instead of retrying forever. */
function gradeOf(exercise: ExerciseRecord, submission: SubmissionRecord): SubmissionGrade {
  const read = readExercise(exercise.yaml);
  if (!read.exercise)
    return {
      status: 'failed',
      score: 0,
      maxScore: 0,
      result: { error: EXERCISE_UNREADABLE_ERROR },
    };
  const result = gradeSubmission(read.exercise, {
    mode: submission.mode,
    manifests: submission.manifests,
  });
  return {
    status: 'graded',
    score: result.score,
    maxScore: result.maxScore,
    result: JSON.parse(JSON.stringify(result)) as SubmissionGrade['result'],
  };
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
