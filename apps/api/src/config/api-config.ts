// The API's settings, read once from the environment through the schema in libs/config. Without
// NETPLAY_DATABASE_URL/NETPLAY_REDIS_URL the service runs embedded (PGlite folder + in-process
// queue), so `npm start` works on a machine with only Node.
import { existsSync } from 'node:fs';
import path from 'node:path';
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
import {
  defaultEngineThreads,
  WEBHOOK_SETTING_KEYS,
  webhookSettingsFrom,
  type WebhookSettings,
} from '@netplay/jobs';

export interface ApiConfig {
  port: number;
  /** Absent: the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  /** Absent: the in-process queue, and the run handler inside this process. */
  redisUrl?: string;
  /** BullMQ key prefix (NETPLAY_QUEUE_PREFIX); the API and every worker of a deployment share it. */
  queuePrefix?: string;
  /** Guards `/v1/admin/*`; absent: the admin endpoints answer 401 to everyone. */
  adminKey?: string;
  dataDir: string;
  /** `prisma/migrations` of the checkout (also when running compiled from dist/). */
  migrationsDir: string;
  /** Longest a `?wait=true` request may hold a run before answering with its current state. */
  runWaitMaxMs: number;
  /** Cost points per minute per tenant (or per client address without a key); see RATE_COSTS. */
  rateLimitPerMinute: number;
  /** Capacity of a tenant's token bucket (NETPLAY_RATE_LIMIT_BURST); defaults to the per-minute rate. */
  rateLimitBurst: number;
  /** Failed authentications per minute per client address before it gets 429. */
  authFailuresPerMinute: number;
  /** Introspection for callers without a key (NETPLAY_GRAPHQL_PUBLIC_INTROSPECTION=true); off by default. */
  graphqlPublicIntrospection: boolean;
  /** How long an API process trusts a key it looked up; bounds how late a revocation reaches other processes. */
  apiKeyCacheTtlMs: number;
  /**
   * The service's public origin (NETPLAY_PUBLIC_URL), e.g. `https://netplay.example.com`: LTI's
   * absolute URLs (login, launch, JWKS, tool configuration) start with it. Absent:
   * `http://localhost:<port>`, which only a platform on the same machine can reach.
   */
  publicUrl?: string;
  /** Least time between two fetches of a platform's JWKS for key ids it lacks (LTI launches). */
  ltiJwksRefetchCooldownMs: number;
  /** The engine's worker threads (docs/reliability.md). */
  enginePool: { threads: number; budgetMs: number; maxHeapMb: number; threadNice: number };
  /** NETPLAY_SECRET_KEY: encrypts webhook and LTI secrets at rest. */
  secretKey?: string;
  /** The built playground page (NETPLAY_WEB_DIR); absent: dist/apps/web found upwards. */
  webDir?: string;
  /** After SIGTERM: how long /readyz answers 503 before the server stops accepting connections. */
  shutdownDelayMs: number;
  /** After that: longest wait for in-flight requests before closing anyway. */
  shutdownTimeoutMs: number;
  log: LogSettings;
  retention: RetentionSettings;
  webhooks: WebhookSettings;
}

export interface LogSettings {
  level: LogLevel;
  format: LogFormat;
}

export interface RetentionSettings {
  /** Age in days after which finished records are deleted; 0 keeps everything. */
  days: number;
  intervalMs: number;
}

export type ConfigProblem = SettingProblem;

/** The settings the API reads (docs/settings.md). */
export const API_SETTING_KEYS = [
  'port',
  'databaseUrl',
  'redisUrl',
  'queuePrefix',
  'secretKey',
  'adminKey',
  'dataDir',
  'migrationsDir',
  'webDir',
  'publicUrl',
  'ltiJwksRefetchCooldownMs',
  'runWaitMaxMs',
  'rateLimitPerMinute',
  'rateLimitBurst',
  'authFailuresPerMinute',
  'graphqlPublicIntrospection',
  'apiKeyCacheTtlMs',
  'enginePoolThreads',
  'engineTaskBudgetMs',
  'engineThreadMaxHeapMb',
  'engineThreadNice',
  'shutdownDelayMs',
  'shutdownTimeoutMs',
  'logLevel',
  'logFormat',
  'retentionDays',
  'retentionIntervalMs',
  ...WEBHOOK_SETTING_KEYS,
] as const satisfies readonly SettingKey[];

export const DEFAULT_PORT = SETTINGS.port.schema.def.defaultValue;
export const DEFAULT_RUN_WAIT_MAX_MS = SETTINGS.runWaitMaxMs.schema.def.defaultValue;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = SETTINGS.rateLimitPerMinute.schema.def.defaultValue;
export const DEFAULT_AUTH_FAILURES_PER_MINUTE =
  SETTINGS.authFailuresPerMinute.schema.def.defaultValue;
export const DEFAULT_API_KEY_CACHE_TTL_MS = SETTINGS.apiKeyCacheTtlMs.schema.def.defaultValue;

/**
 * The API's configuration from an environment (`process.env` in main.ts, a literal in tests):
 * validated once; `problems` name each bad variable, `deprecated` the old names in use.
 */
export function readApiConfig(
  env: Environment,
  cwd: string = process.cwd(),
): { config: ApiConfig; problems: ConfigProblem[]; deprecated: DeprecatedName[] } {
  const { values, problems, deprecated } = readSettings(API_SETTING_KEYS, env);
  const config: ApiConfig = {
    port: values.port,
    databaseUrl: values.databaseUrl,
    redisUrl: values.redisUrl,
    queuePrefix: values.queuePrefix,
    secretKey: values.secretKey,
    adminKey: values.adminKey,
    dataDir: path.resolve(cwd, values.dataDir),
    migrationsDir: values.migrationsDir
      ? path.resolve(cwd, values.migrationsDir)
      : (findUp(__dirname, 'prisma/migrations') ?? path.resolve(cwd, 'prisma/migrations')),
    webDir: values.webDir ? path.resolve(cwd, values.webDir) : undefined,
    runWaitMaxMs: values.runWaitMaxMs,
    rateLimitPerMinute: values.rateLimitPerMinute,
    rateLimitBurst: values.rateLimitBurst ?? values.rateLimitPerMinute,
    authFailuresPerMinute: values.authFailuresPerMinute,
    graphqlPublicIntrospection: values.graphqlPublicIntrospection,
    apiKeyCacheTtlMs: values.apiKeyCacheTtlMs,
    publicUrl: values.publicUrl ? publicOrigin(values.publicUrl, problems) : undefined,
    ltiJwksRefetchCooldownMs: values.ltiJwksRefetchCooldownMs,
    enginePool: {
      threads: values.enginePoolThreads ?? defaultEngineThreads(),
      budgetMs: values.engineTaskBudgetMs,
      maxHeapMb: values.engineThreadMaxHeapMb,
      threadNice: values.engineThreadNice,
    },
    shutdownDelayMs: values.shutdownDelayMs,
    shutdownTimeoutMs: values.shutdownTimeoutMs,
    log: { level: values.logLevel, format: values.logFormat },
    retention: { days: values.retentionDays, intervalMs: values.retentionIntervalMs },
    webhooks: webhookSettingsFrom(values),
  };
  return { config, problems, deprecated };
}

/** Settings a production deployment (PostgreSQL + Redis) should set but the API can start without. */
export function missingForProduction(config: ApiConfig): string[] {
  if (!config.databaseUrl || !config.redisUrl) return [];
  const missing: string[] = [];
  if (!config.secretKey) missing.push(SETTINGS.secretKey.name);
  if (!config.adminKey) missing.push(SETTINGS.adminKey.name);
  return missing;
}

export function describeMode(config: ApiConfig): string {
  const database = config.databaseUrl
    ? 'PostgreSQL (NETPLAY_DATABASE_URL)'
    : `embedded PGlite at ${config.dataDir}`;
  const queue = config.redisUrl
    ? 'BullMQ on Redis (NETPLAY_REDIS_URL), runs handled by worker processes'
    : 'in-process queue, runs handled in this process';
  return `${config.databaseUrl && config.redisUrl ? 'production' : 'embedded'} mode: database ${database}; queue ${queue}`;
}

/** Nest injection token for ApiConfig. */
export const API_CONFIG = Symbol('API_CONFIG');

/** The nearest `relative` path above `start`: the same checkout whether run from src/ or dist/. */
export function findUp(start: string, relative: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** An http(s) origin with an optional path prefix, without a trailing slash. */
function publicOrigin(raw: string, problems: ConfigProblem[]): string | undefined {
  const url = new URL(raw);
  if (!url.search && !url.hash) return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  problems.push({
    variable: SETTINGS.publicUrl.name,
    message: `must be an http(s) URL without query or fragment, got "${raw}"`,
  });
  return undefined;
}

/** The public base URL LTI's absolute URLs start with. */
export function publicBaseUrl(config: ApiConfig): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}
