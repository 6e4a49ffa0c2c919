// The API's settings, read once from the environment. Without DATABASE_URL/REDIS_URL the service runs
// embedded (PGlite folder + in-process queue), so `npm start` works on a machine with only Node.
import { existsSync } from 'node:fs';
import path from 'node:path';

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
  /** Failed authentications per minute per client address before it gets 429. */
  authFailuresPerMinute: number;
  /** Introspection for callers without a key (NETPLAY_GRAPHQL_PUBLIC_INTROSPECTION=true); off by default. */
  graphqlPublicIntrospection: boolean;
  /** How long an API process trusts a key it looked up; bounds how late a revocation reaches other processes. */
  apiKeyCacheTtlMs: number;
}

export type ConfigProblem = { variable: string; message: string };

export const DEFAULT_PORT = 3000;
export const DEFAULT_RUN_WAIT_MAX_MS = 10_000;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1_200;
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;
export const DEFAULT_API_KEY_CACHE_TTL_MS = 5_000;

export function readApiConfig(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): { config: ApiConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const int = (variable: string, fallback: number, min: number, max: number): number => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({
        variable,
        message: `must be an integer from ${min} to ${max}, got "${raw}"`,
      });
      return fallback;
    }
    return value;
  };
  const flag = (variable: string): boolean => {
    const raw = env[variable];
    if (raw === undefined || raw === '' || raw === 'false') return false;
    if (raw === 'true') return true;
    problems.push({ variable, message: `must be true or false, got "${raw}"` });
    return false;
  };
  const text = (variable: string): string | undefined =>
    env[variable] ? env[variable] : undefined;
  const config: ApiConfig = {
    port: int('PORT', DEFAULT_PORT, 0, 65535),
    databaseUrl: text('DATABASE_URL'),
    redisUrl: text('REDIS_URL'),
    queuePrefix: text('NETPLAY_QUEUE_PREFIX'),
    adminKey: text('NETPLAY_ADMIN_KEY'),
    dataDir: path.resolve(cwd, env.NETPLAY_DATA_DIR || '.data/pglite'),
    migrationsDir: env.NETPLAY_MIGRATIONS_DIR
      ? path.resolve(cwd, env.NETPLAY_MIGRATIONS_DIR)
      : (findUp(__dirname, 'prisma/migrations') ?? path.resolve(cwd, 'prisma/migrations')),
    runWaitMaxMs: int('RUN_WAIT_MAX_MS', DEFAULT_RUN_WAIT_MAX_MS, 0, 10 * 60_000),
    rateLimitPerMinute: int(
      'NETPLAY_RATE_LIMIT_PER_MINUTE',
      DEFAULT_RATE_LIMIT_PER_MINUTE,
      1,
      1_000_000,
    ),
    authFailuresPerMinute: int(
      'NETPLAY_AUTH_FAILURES_PER_MINUTE',
      DEFAULT_AUTH_FAILURES_PER_MINUTE,
      1,
      1_000_000,
    ),
    graphqlPublicIntrospection: flag('NETPLAY_GRAPHQL_PUBLIC_INTROSPECTION'),
    apiKeyCacheTtlMs: int('API_KEY_CACHE_TTL_MS', DEFAULT_API_KEY_CACHE_TTL_MS, 0, 60_000),
  };
  if (config.adminKey !== undefined && config.adminKey.length < 16) {
    problems.push({ variable: 'NETPLAY_ADMIN_KEY', message: 'must be at least 16 characters' });
  }
  return { config, problems };
}

export function describeMode(config: ApiConfig): string {
  const database = config.databaseUrl
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PGlite at ${config.dataDir}`;
  const queue = config.redisUrl
    ? 'BullMQ on Redis (REDIS_URL), runs handled by worker processes'
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
