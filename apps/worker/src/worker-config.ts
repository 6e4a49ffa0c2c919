// The worker's settings, read once from the environment through the schema in libs/config. A worker
// needs both PostgreSQL and Redis: the embedded mode (no Redis) runs the job handlers inside the API
// process instead.
import {
  readSettings,
  SETTINGS,
  type DeprecatedName,
  type Environment,
  type LogFormat,
  type LogLevel,
  type SettingKey,
  type SettingProblem,
} from '@netplay/config';
import { WEBHOOK_SETTING_KEYS, webhookSettingsFrom, type WebhookSettings } from '@netplay/jobs';

export interface WorkerConfig {
  databaseUrl: string;
  redisUrl: string;
  /** Jobs one process runs at once (NETPLAY_WORKER_CONCURRENCY). */
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
  /** The engine's worker threads (docs/reliability.md); absent fields take the pool's defaults. */
  enginePool: { threads?: number; budgetMs?: number; maxHeapMb?: number; threadNice?: number };
  /** NETPLAY_SECRET_KEY: decrypts webhook signing secrets and LTI keys. */
  secretKey?: string;
  /** After SIGTERM, longest wait for the active jobs before exiting anyway. */
  shutdownTimeoutMs: number;
  log: { level: LogLevel; format: LogFormat };
  retention: { days: number; intervalMs: number };
  webhooks: WebhookSettings;
}

export type WorkerConfigProblem = SettingProblem;

export const WORKER_SETTING_KEYS = [
  'databaseUrl',
  'redisUrl',
  'queuePrefix',
  'secretKey',
  'workerConcurrency',
  'workerMetricsPort',
  'workerRelayIntervalMs',
  'workerReconcileIntervalMs',
  'workerReconcileMinAgeMs',
  'workerLockDurationMs',
  'workerStalledIntervalMs',
  'enginePoolThreads',
  'engineTaskBudgetMs',
  'engineThreadMaxHeapMb',
  'engineThreadNice',
  'shutdownTimeoutMs',
  'logLevel',
  'logFormat',
  'retentionDays',
  'retentionIntervalMs',
  ...WEBHOOK_SETTING_KEYS,
] as const satisfies readonly SettingKey[];

export const DEFAULT_WORKER_CONCURRENCY = SETTINGS.workerConcurrency.schema.def.defaultValue;
export const DEFAULT_RECONCILE_INTERVAL_MS =
  SETTINGS.workerReconcileIntervalMs.schema.def.defaultValue;

export function readWorkerConfig(env: Environment): {
  config: WorkerConfig;
  problems: WorkerConfigProblem[];
  deprecated: DeprecatedName[];
} {
  const { values, problems, deprecated } = readSettings(WORKER_SETTING_KEYS, env);
  const required = (value: string | undefined, name: string): string => {
    if (!value && !problems.some((problem) => SETTINGS_NAMES[name]?.includes(problem.variable)))
      problems.push({
        variable: name,
        message: 'is required: a worker takes runs from Redis and stores results in PostgreSQL',
      });
    return value ?? '';
  };
  const config: WorkerConfig = {
    databaseUrl: required(values.databaseUrl, SETTINGS.databaseUrl.name),
    redisUrl: required(values.redisUrl, SETTINGS.redisUrl.name),
    concurrency: values.workerConcurrency,
    metricsPort: values.workerMetricsPort,
    queuePrefix: values.queuePrefix,
    relayIntervalMs: values.workerRelayIntervalMs,
    reconcileIntervalMs: values.workerReconcileIntervalMs,
    reconcileMinAgeMs: values.workerReconcileMinAgeMs,
    lockDurationMs: values.workerLockDurationMs,
    stalledIntervalMs: values.workerStalledIntervalMs,
    enginePool: {
      threads: values.enginePoolThreads,
      budgetMs: values.engineTaskBudgetMs,
      maxHeapMb: values.engineThreadMaxHeapMb,
      threadNice: values.engineThreadNice,
    },
    secretKey: values.secretKey,
    shutdownTimeoutMs: values.shutdownTimeoutMs,
    log: { level: values.logLevel, format: values.logFormat },
    retention: { days: values.retentionDays, intervalMs: values.retentionIntervalMs },
    webhooks: webhookSettingsFrom(values),
  };
  return { config, problems, deprecated };
}

/** A connection setting's names (canonical and aliases): a malformed value is reported once. */
const SETTINGS_NAMES: Record<string, readonly string[]> = {
  [SETTINGS.databaseUrl.name]: [SETTINGS.databaseUrl.name, ...(SETTINGS.databaseUrl.aliases ?? [])],
  [SETTINGS.redisUrl.name]: [SETTINGS.redisUrl.name, ...(SETTINGS.redisUrl.aliases ?? [])],
};

/** Nest injection token for WorkerConfig. */
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
