// The worker's settings, read once from the environment. A worker needs both PostgreSQL and Redis:
// the embedded mode (no Redis) runs the job handler inside the API process instead.
import { DEFAULT_RECONCILE_MIN_AGE_MS, DEFAULT_RELAY_INTERVAL_MS } from '@netplay/queue';

export interface WorkerConfig {
  databaseUrl: string;
  redisUrl: string;
  /** Jobs one process runs at once (WORKER_CONCURRENCY). */
  concurrency: number;
  /** Serves Prometheus `/metrics` (and `/healthz`) when set. */
  metricsPort?: number;
  /** BullMQ key prefix; every API and worker of one deployment must use the same one. */
  queuePrefix?: string;
  relayIntervalMs: number;
  reconcileIntervalMs: number;
  /** Runs younger than this are left to the relay by the reconciler. */
  reconcileMinAgeMs: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export type WorkerConfigProblem = { variable: string; message: string };

export const DEFAULT_WORKER_CONCURRENCY = 4;
export const DEFAULT_RECONCILE_INTERVAL_MS = 30_000;

export function readWorkerConfig(env: NodeJS.ProcessEnv): {
  config: WorkerConfig;
  problems: WorkerConfigProblem[];
} {
  const problems: WorkerConfigProblem[] = [];
  const int = (variable: string, min: number, max: number): number | undefined => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({
        variable,
        message: `must be an integer from ${min} to ${max}, got "${raw}"`,
      });
      return undefined;
    }
    return value;
  };
  const required = (variable: string): string => {
    const value = env[variable];
    if (!value)
      problems.push({
        variable,
        message: 'is required: a worker takes runs from Redis and stores results in PostgreSQL',
      });
    return value ?? '';
  };
  const config: WorkerConfig = {
    databaseUrl: required('DATABASE_URL'),
    redisUrl: required('REDIS_URL'),
    concurrency: int('WORKER_CONCURRENCY', 1, 1024) ?? DEFAULT_WORKER_CONCURRENCY,
    metricsPort: int('WORKER_METRICS_PORT', 0, 65535),
    queuePrefix: env.NETPLAY_QUEUE_PREFIX || undefined,
    relayIntervalMs: int('WORKER_RELAY_INTERVAL_MS', 10, 3_600_000) ?? DEFAULT_RELAY_INTERVAL_MS,
    reconcileIntervalMs:
      int('WORKER_RECONCILE_INTERVAL_MS', 100, 86_400_000) ?? DEFAULT_RECONCILE_INTERVAL_MS,
    reconcileMinAgeMs:
      int('WORKER_RECONCILE_MIN_AGE_MS', 0, 86_400_000) ?? DEFAULT_RECONCILE_MIN_AGE_MS,
    lockDurationMs: int('WORKER_LOCK_DURATION_MS', 1_000, 3_600_000),
    stalledIntervalMs: int('WORKER_STALLED_INTERVAL_MS', 1_000, 3_600_000),
  };
  return { config, problems };
}

/** Nest injection token for WorkerConfig. */
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
