import { deferred, waitFor, withTimeout } from './wait';

describe('waitFor', () => {
  it('resolves with the first truthy value the probe returns', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => (++calls === 3 ? { calls } : undefined), {
      everyMs: 1,
    });
    expect(value).toEqual({ calls: 3 });
  });

  it("names what it waited for and the probe's last error when the deadline passes", async () => {
    await expect(
      waitFor(
        'a row that never comes',
        async () => {
          throw new Error('relation does not exist');
        },
        { timeoutMs: 30, everyMs: 5 },
      ),
    ).rejects.toThrow(
      'timed out after 30 ms waiting for a row that never comes (last error: relation does not exist)',
    );
  });
});

describe('withTimeout', () => {
  it('settles as the promise does when it is in time', async () => {
    const later = deferred<string>();
    setTimeout(() => later.resolve('done'), 5);
    await expect(withTimeout(later.promise, 1_000, 'the value')).resolves.toBe('done');
  });

  it('rejects naming what it waited for when the promise is late', async () => {
    await expect(withTimeout(deferred<void>().promise, 20, 'the delivery')).rejects.toThrow(
      'timed out after 20 ms waiting for the delivery',
    );
  });
});
