// After a submission is graded: send its score to the LMS that launched it (LTI 1.3 AGS), when the
// submission carries an LTI target. The grade is stored before this runs and never again; only the
// passback is repeated. The outcome is recorded on the submission (`ltiStatus`, `ltiError`); a
// failure a later attempt can fix (5xx, timeouts, refused connections) also rejects, so the grading
// job is retried, while one that would fail the same way again (4xx, SSRF-blocked URL, a bad token
// response) is recorded and left alone.
import type { LtiPassbackStatus, LtiPlatformForPassback, SubmissionRecord } from '@netplay/db';
import {
  platformRegistrationOf,
  passBackScore,
  type PassbackOutcome,
  type SsrfPolicy,
} from '@netplay/webhooks';

export interface LtiScorePassbackDeps {
  platforms: {
    getForPassback(tenantId: string, id: string): Promise<LtiPlatformForPassback | undefined>;
  };
  submissions: {
    recordLtiOutcome(
      id: string,
      outcome: { status: LtiPassbackStatus; error?: string },
    ): Promise<void>;
  };
  policy: SsrfPolicy;
  now?: () => Date;
}

export type LtiScorePassbackResult = 'no-target' | 'already-sent' | 'sent' | 'failed';

/** Errors of the network or of the platform's servers: the same request may succeed later. */
const RETRYABLE_ERROR_CLASSES: ReadonlySet<string> = new Set([
  'http_5xx',
  'timeout',
  'connect_timeout',
  'connection_refused',
  'connection_reset',
  'dns',
]);

export const LTI_PLATFORM_GONE_ERROR =
  'the LTI platform of this submission is no longer registered';
export const LTI_NOT_GRADED_ERROR = 'the submission failed grading: no score to pass back';

/** Thrown after recording a retryable failure, for the queue to deliver the grading job again. */
export class RetryableLtiPassbackError extends Error {
  constructor(readonly outcome: Extract<PassbackOutcome, { ok: false }>) {
    super(
      `LTI score passback failed (${outcome.stage}, ${outcome.errorClass}): ${outcome.message}`,
    );
    this.name = 'RetryableLtiPassbackError';
  }
}

export function isRetryablePassbackFailure(
  outcome: Extract<PassbackOutcome, { ok: false }>,
): boolean {
  return RETRYABLE_ERROR_CLASSES.has(outcome.errorClass);
}

export async function passBackSubmissionScore(
  deps: LtiScorePassbackDeps,
  submission: SubmissionRecord,
): Promise<LtiScorePassbackResult> {
  if (!submission.ltiLineItemUrl || !submission.ltiUserId) return 'no-target';
  if (submission.ltiStatus === 'sent') return 'already-sent';
  if (submission.status !== 'graded') return recordFailure(deps, submission, LTI_NOT_GRADED_ERROR);
  // The platform's row may have been deleted since the submission (the reference is then null).
  const platform = submission.ltiPlatformId
    ? await deps.platforms.getForPassback(submission.tenantId, submission.ltiPlatformId)
    : undefined;
  if (!platform) return recordFailure(deps, submission, LTI_PLATFORM_GONE_ERROR);

  const outcome = await passBackScore(
    platformRegistrationOf(platform),
    {
      lineItemUrl: submission.ltiLineItemUrl,
      userId: submission.ltiUserId,
      scoreGiven: submission.score ?? 0,
      scoreMaximum: submission.maxScore ?? 0,
    },
    { policy: deps.policy, now: deps.now },
  );
  if (outcome.ok) {
    await deps.submissions.recordLtiOutcome(submission.id, { status: 'sent' });
    return 'sent';
  }
  await recordFailure(
    deps,
    submission,
    `${outcome.stage}: ${outcome.errorClass}: ${outcome.message}`,
  );
  if (isRetryablePassbackFailure(outcome)) throw new RetryableLtiPassbackError(outcome);
  return 'failed';
}

async function recordFailure(
  deps: LtiScorePassbackDeps,
  submission: SubmissionRecord,
  error: string,
): Promise<'failed'> {
  await deps.submissions.recordLtiOutcome(submission.id, { status: 'failed', error });
  return 'failed';
}
