import type { LtiPassbackStatus, SubmissionRecord } from '@netplay/db';
import type { PassbackOutcome } from '@netplay/webhooks';
import {
  isRetryablePassbackFailure,
  LTI_NOT_GRADED_ERROR,
  LTI_PLATFORM_GONE_ERROR,
  passBackSubmissionScore,
  type LtiScorePassbackDeps,
} from './lti-score-passback';

const submission = (overrides: Partial<SubmissionRecord> = {}): SubmissionRecord => ({
  id: 's-1',
  tenantId: 't-1',
  exerciseId: 'e-1',
  learnerRef: 'l',
  manifests: '',
  mode: 'full',
  status: 'graded',
  score: 3,
  maxScore: 4,
  result: null,
  createdAt: new Date(0),
  ltiPlatformId: 'p-1',
  ltiLineItemUrl: 'https://lms.example/lineitems/1',
  ltiUserId: 'u-1',
  ltiStatus: 'pending',
  ltiError: null,
  ownerRef: null,
  ...overrides,
});

/** No platform is registered: every passback that gets as far as the platform lookup fails. */
function deps(): LtiScorePassbackDeps & {
  recorded: Array<{ status: LtiPassbackStatus; error?: string }>;
} {
  const recorded: Array<{ status: LtiPassbackStatus; error?: string }> = [];
  return {
    recorded,
    platforms: { getForPassback: async () => undefined },
    submissions: { recordLtiOutcome: async (_id, outcome) => void recorded.push(outcome) },
    policy: { allowedHosts: [] },
  };
}

describe('passBackSubmissionScore', () => {
  it.each<
    [
      string,
      Partial<SubmissionRecord>,
      string,
      Array<{ status: LtiPassbackStatus; error?: string }>,
    ]
  >([
    [
      'does nothing for a submission without an LTI target',
      { ltiPlatformId: null, ltiLineItemUrl: null, ltiUserId: null, ltiStatus: null },
      'no-target',
      [],
    ],
    ['does not send a score twice', { ltiStatus: 'sent' }, 'already-sent', []],
    [
      'records a submission that failed grading as a failed passback',
      { status: 'failed' },
      'failed',
      [{ status: 'failed', error: LTI_NOT_GRADED_ERROR }],
    ],
    [
      'records a deleted platform as a failed passback',
      { ltiPlatformId: null },
      'failed',
      [{ status: 'failed', error: LTI_PLATFORM_GONE_ERROR }],
    ],
  ])('%s', async (_, overrides, result, recorded) => {
    const passback = deps();
    await expect(passBackSubmissionScore(passback, submission(overrides))).resolves.toBe(result);
    expect(passback.recorded).toEqual(recorded);
  });
});

describe('isRetryablePassbackFailure', () => {
  it.each([
    ['http_5xx', true],
    ['timeout', true],
    ['connection_refused', true],
    ['dns', true],
    ['http_4xx', false],
    ['ssrf_blocked', false],
    ['invalid_token_response', false],
    ['tls', false],
  ])('%s → %s', (errorClass, retryable) => {
    const failure: Extract<PassbackOutcome, { ok: false }> = {
      ok: false,
      stage: 'score',
      errorClass,
      message: 'x',
    };
    expect(isRetryablePassbackFailure(failure)).toBe(retryable);
  });
});
