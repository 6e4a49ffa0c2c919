// Prometheus metrics of one worker process, on its own registry (not prom-client's global one, so
// tests and embedded use never collide on metric names).
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ScenarioRunOutcome } from '@netplay/jobs';

/** `error`: the handler threw (the queue retries the job). */
export type JobOutcomeLabel =
  ScenarioRunOutcome['kind'] | `completed-${'succeeded' | 'failed'}` | 'error';

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly jobDuration: Histogram<'outcome'>;
  private readonly reconciled: Counter<'action'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.jobDuration = new Histogram({
      name: 'netplay_worker_job_duration_seconds',
      help: 'Time from a worker taking a scenario job to its outcome, by outcome.',
      labelNames: ['outcome'],
      // Website-sized scenarios take milliseconds; large clusters take seconds.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.reconciled = new Counter({
      name: 'netplay_worker_reconciled_runs_total',
      help: 'Runs the reconciler put back on the queue or failed because the queue gave up on them.',
      labelNames: ['action'],
      registers: [this.registry],
    });
  }

  /** Starts timing a job; call the returned function with its outcome. */
  startJob(): (outcome: JobOutcomeLabel) => void {
    const stop = this.jobDuration.startTimer();
    return (outcome) => void stop({ outcome });
  }

  countReconciled(action: 'reenqueued' | 'failed', count: number): void {
    if (count > 0) this.reconciled.inc({ action }, count);
  }

  static outcomeLabel(outcome: ScenarioRunOutcome): JobOutcomeLabel {
    return outcome.kind === 'completed' ? `completed-${outcome.status}` : outcome.kind;
  }
}
