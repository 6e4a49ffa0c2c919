import type { FinishedRunReply } from '@netplay/contracts';
import { decodeReply, encodeReply } from './run-status-events';

describe('finished-run replies', () => {
  const reply: FinishedRunReply = {
    runId: 'r-1',
    tenantId: 't-1',
    run: {
      status: 'succeeded',
      attempts: 1,
      startedAt: '2026-12-05T10:00:00.001Z',
      finishedAt: '2026-12-05T10:00:00.004Z',
      error: null,
      resultJson: '{"steps":[{"note":"a\\nb \\" c"}]}',
    },
  };

  it('carries the result text as it is, after a header line', () => {
    const message = encodeReply(reply);
    expect(message.endsWith(`\n${reply.run.resultJson}`)).toBe(true);
    expect(decodeReply(message)).toEqual(reply);
  });

  it('carries a run without a result', () => {
    const failed: FinishedRunReply = {
      ...reply,
      run: {
        ...reply.run,
        status: 'failed',
        error: 'internal: the sandbox revision of this run no longer exists',
        resultJson: null,
      },
    };
    expect(decodeReply(encodeReply(failed))).toEqual(failed);
  });

  it.each([
    '',
    'not json',
    '{"runId":"r-1"}',
    '{"runId":"r-1","tenantId":"t","run":{"status":"queued","finishedAt":"x"}}',
  ])('ignores a message that is not a reply: %s', (message) => {
    expect(decodeReply(message)).toBeUndefined();
  });
});
