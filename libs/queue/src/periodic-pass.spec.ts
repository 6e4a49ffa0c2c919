import { waitFor } from '@netplay/testing';
import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  it('runs its pass at start when asked, without a report listener', async () => {
    let passes = 0;
    const pass = new PeriodicPass(async () => ++passes, { intervalMs: 60_000, immediately: true });
    pass.start();
    await waitFor('the first pass', () => passes === 1, { timeoutMs: 2_000, everyMs: 5 });
    await pass.stop();
  });

  it('runs passes one after another on its interval and reports each', async () => {
    const reports: number[] = [];
    let passes = 0;
    const pass = new PeriodicPass(async () => ++passes, {
      intervalMs: 5,
      onReport: (report) => reports.push(report),
    });
    pass.start();
    await waitFor('three passes', () => reports.length >= 3, { timeoutMs: 2_000, everyMs: 5 });
    await pass.stop();
    expect(reports.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('reports a failing pass and keeps its schedule', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const pass = new PeriodicPass(
      async () => {
        passes += 1;
        throw new Error(`pass ${passes} failed`);
      },
      { intervalMs: 5, onError: (error) => errors.push(error) },
    );
    pass.start();
    await waitFor('two failed passes', () => errors.length >= 2, { timeoutMs: 2_000, everyMs: 5 });
    await pass.stop();
    expect(errors[0]).toEqual(new Error('pass 1 failed'));
  });
});
