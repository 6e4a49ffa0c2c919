// Every setting of every netplay process, in one place. docs/settings.md is generated from this
// table (`npm run docs:settings`) and a test fails when the two differ.
import { base64Key, flag, integer, integerList, list, oneOf, setting, text, url } from './setting';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

export const SETTINGS = {
  // Connections
  databaseUrl: setting({
    name: 'NETPLAY_DATABASE_URL',
    aliases: ['DATABASE_URL'],
    processes: ['api', 'worker', 'migrate'],
    description:
      'PostgreSQL connection string. Unset: the API runs embedded on PGlite (the worker requires it).',
    schema: url(['postgres', 'postgresql']).optional(),
    defaultText: 'embedded PGlite',
    requiredInProduction: true,
    secret: true,
  }),
  redisUrl: setting({
    name: 'NETPLAY_REDIS_URL',
    aliases: ['REDIS_URL'],
    processes: ['api', 'worker'],
    description:
      'Redis connection string. Unset: the API runs the queues in-process (the worker requires it).',
    schema: url(['redis', 'rediss']).optional(),
    defaultText: 'in-process queues',
    requiredInProduction: true,
    secret: true,
  }),
  queuePrefix: setting({
    name: 'NETPLAY_QUEUE_PREFIX',
    processes: ['api', 'worker'],
    description:
      'BullMQ key prefix in Redis; the API and every worker of one deployment use the same one.',
    schema: text().optional(),
    defaultText: "BullMQ's `bull`",
  }),
  secretKey: setting({
    name: 'NETPLAY_SECRET_KEY',
    processes: ['api', 'worker'],
    description:
      'Encrypts webhook signing secrets and LTI keys at rest (AES-256-GCM). Unset in embedded mode: a public development key; unset in production: webhooks and LTI answer 503.',
    schema: base64Key(32).optional(),
    defaultText: 'development key (embedded only)',
    requiredInProduction: true,
    secret: true,
  }),

  // API
  port: setting({
    name: 'NETPLAY_PORT',
    aliases: ['PORT'],
    processes: ['api'],
    description: 'HTTP port the API listens on.',
    schema: integer(0, 65535).default(3000),
  }),
  adminKey: setting({
    name: 'NETPLAY_ADMIN_KEY',
    processes: ['api'],
    description:
      'Bearer key for `/v1/admin/*` (tenants, API keys). Unset: those routes answer 401.',
    schema: text(16).optional(),
    defaultText: 'admin routes closed',
    requiredInProduction: true,
    secret: true,
  }),
  dataDir: setting({
    name: 'NETPLAY_DATA_DIR',
    processes: ['api', 'migrate'],
    description:
      'Folder of the embedded PGlite database and the development key file; must be writable.',
    schema: text().default('.data/pglite'),
  }),
  migrationsDir: setting({
    name: 'NETPLAY_MIGRATIONS_DIR',
    processes: ['api'],
    description: 'The `prisma/migrations` folder applied to the embedded database at start.',
    schema: text().optional(),
    defaultText: '`prisma/migrations` found upwards',
  }),
  publicUrl: setting({
    name: 'NETPLAY_PUBLIC_URL',
    processes: ['api'],
    description:
      "The service's public origin (`https://netplay.example.com`, an optional path prefix): LTI's absolute URLs (login, launch, JWKS, tool configuration) start with it.",
    schema: url(['http', 'https']).optional(),
    defaultText: '`http://localhost:<port>` (reachable from this machine only)',
  }),
  ltiJwksRefetchCooldownMs: setting({
    name: 'NETPLAY_LTI_JWKS_REFETCH_COOLDOWN_MS',
    processes: ['api'],
    description:
      "Shortest time between two fetches of an LTI platform's key set when a launch names an unknown key.",
    schema: integer(0, HOUR_MS).default(30_000),
  }),
  webDir: setting({
    name: 'NETPLAY_WEB_DIR',
    processes: ['api'],
    description: 'The built playground page served at `/`.',
    schema: text().optional(),
    defaultText: '`dist/apps/web` found upwards',
  }),
  runWaitMaxMs: setting({
    name: 'NETPLAY_RUN_WAIT_MAX_MS',
    aliases: ['RUN_WAIT_MAX_MS'],
    processes: ['api'],
    description:
      'Longest a `?wait=true` request holds a run before answering with its current state.',
    schema: integer(0, 10 * MINUTE_MS).default(10_000),
  }),
  rateLimitPerMinute: setting({
    name: 'NETPLAY_RATE_LIMIT_PER_MINUTE',
    processes: ['api'],
    description: 'Cost points per minute per tenant (docs/api.md, "Rate limits").',
    schema: integer(1, 1_000_000).default(1_200),
  }),
  rateLimitBurst: setting({
    name: 'NETPLAY_RATE_LIMIT_BURST',
    processes: ['api'],
    description:
      "Capacity of a tenant's token bucket: the cost points it may spend at once before the per-minute refill paces it.",
    schema: integer(1, 1_000_000).optional(),
    defaultText: 'NETPLAY_RATE_LIMIT_PER_MINUTE',
  }),
  authFailuresPerMinute: setting({
    name: 'NETPLAY_AUTH_FAILURES_PER_MINUTE',
    processes: ['api'],
    description: 'Failed authentications per minute per client address before it gets 429.',
    schema: integer(1, 1_000_000).default(30),
  }),
  graphqlPublicIntrospection: setting({
    name: 'NETPLAY_GRAPHQL_PUBLIC_INTROSPECTION',
    processes: ['api'],
    description: 'Allows GraphQL introspection to callers without a key.',
    schema: flag().default(false),
  }),
  apiKeyCacheTtlMs: setting({
    name: 'NETPLAY_API_KEY_CACHE_TTL_MS',
    aliases: ['API_KEY_CACHE_TTL_MS'],
    processes: ['api'],
    description:
      "How long an API process trusts a key it looked up, and a tenant's work budget: bounds how late a revocation or a budget change reaches other processes.",
    schema: integer(0, MINUTE_MS).default(5_000),
  }),
  shutdownDelayMs: setting({
    name: 'NETPLAY_SHUTDOWN_DELAY_MS',
    processes: ['api'],
    description:
      'After SIGTERM, how long `/readyz` answers 503 while requests are still accepted, so load balancers stop sending new ones.',
    schema: integer(0, 10 * MINUTE_MS).default(0),
  }),
  shutdownTimeoutMs: setting({
    name: 'NETPLAY_SHUTDOWN_TIMEOUT_MS',
    processes: ['api', 'worker'],
    description:
      'After SIGTERM (and the delay), longest wait for in-flight requests (API) or active jobs (worker) before exiting anyway.',
    schema: integer(0, HOUR_MS).default(25_000),
  }),

  // Worker
  workerConcurrency: setting({
    name: 'NETPLAY_WORKER_CONCURRENCY',
    aliases: ['WORKER_CONCURRENCY'],
    processes: ['worker'],
    description: 'Jobs one worker process runs at once.',
    schema: integer(1, 1024).default(4),
  }),
  workerMetricsPort: setting({
    name: 'NETPLAY_WORKER_METRICS_PORT',
    aliases: ['WORKER_METRICS_PORT'],
    processes: ['worker'],
    description: 'Serves Prometheus `/metrics` and `/healthz` on this port.',
    schema: integer(0, 65535).optional(),
    defaultText: 'not served',
  }),
  workerRelayIntervalMs: setting({
    name: 'NETPLAY_WORKER_RELAY_INTERVAL_MS',
    aliases: ['WORKER_RELAY_INTERVAL_MS'],
    processes: ['worker'],
    description: 'Outbox relay pass when nothing nudges.',
    schema: integer(10, HOUR_MS).default(200),
  }),
  workerReconcileIntervalMs: setting({
    name: 'NETPLAY_WORKER_RECONCILE_INTERVAL_MS',
    aliases: ['WORKER_RECONCILE_INTERVAL_MS'],
    processes: ['worker'],
    description:
      'Reconciler pass (runs, submissions and webhook deliveries whose job Redis lost are enqueued again).',
    schema: integer(100, DAY_MS).default(30_000),
  }),
  workerReconcileMinAgeMs: setting({
    name: 'NETPLAY_WORKER_RECONCILE_MIN_AGE_MS',
    aliases: ['WORKER_RECONCILE_MIN_AGE_MS'],
    processes: ['worker'],
    description:
      'Runs, submissions and webhook messages younger than this are left alone by the reconcilers (the relay or the publisher has them).',
    schema: integer(0, DAY_MS).default(60_000),
  }),
  workerLockDurationMs: setting({
    name: 'NETPLAY_WORKER_LOCK_DURATION_MS',
    aliases: ['WORKER_LOCK_DURATION_MS'],
    processes: ['worker'],
    description:
      "BullMQ job lock: with the stalled interval, how soon a dead worker's jobs return.",
    schema: integer(1_000, HOUR_MS).optional(),
    defaultText: "BullMQ's 30000",
  }),
  enginePoolThreads: setting({
    name: 'NETPLAY_ENGINE_POOL_THREADS',
    aliases: ['ENGINE_POOL_THREADS'],
    processes: ['api', 'worker'],
    description:
      'Worker threads running engine work (validation, views, runs) off the event loop (docs/reliability.md).',
    schema: integer(1, 64).optional(),
    defaultText: 'CPUs − 1, from 2 to 4',
  }),
  engineTaskBudgetMs: setting({
    name: 'NETPLAY_ENGINE_TASK_BUDGET_MS',
    aliases: ['ENGINE_TASK_BUDGET_MS'],
    processes: ['api', 'worker'],
    description:
      'Wall-clock budget of one engine task; a task over it is stopped and answered `422 engine-budget-exceeded`.',
    schema: integer(100, 10 * MINUTE_MS).default(10_000),
  }),
  engineThreadMaxHeapMb: setting({
    name: 'NETPLAY_ENGINE_THREAD_MAX_HEAP_MB',
    aliases: ['ENGINE_THREAD_MAX_HEAP_MB'],
    processes: ['api', 'worker'],
    description:
      'Heap limit of each engine thread (V8 resourceLimits); a task over it is answered `422 engine-budget-exceeded`.',
    schema: integer(64, 16_384).default(512),
  }),
  engineThreadNice: setting({
    name: 'NETPLAY_ENGINE_THREAD_NICE',
    processes: ['api', 'worker'],
    description:
      'Scheduling niceness of each engine thread (Linux: that thread only; 0 to 19, higher yields more): bulk engine work yields the CPU to the event loops, PostgreSQL and Redis (docs/architecture.md, "Isolation between tenants").',
    schema: integer(0, 19).default(10),
  }),
  workerStalledIntervalMs: setting({
    name: 'NETPLAY_WORKER_STALLED_INTERVAL_MS',
    aliases: ['WORKER_STALLED_INTERVAL_MS'],
    processes: ['worker'],
    description: 'BullMQ stalled-job check interval.',
    schema: integer(1_000, HOUR_MS).optional(),
    defaultText: "BullMQ's 30000",
  }),

  // Webhooks
  webhookAllowedHosts: setting({
    name: 'NETPLAY_WEBHOOK_ALLOWED_HOSTS',
    aliases: ['WEBHOOK_ALLOWED_HOSTS'],
    processes: ['api', 'worker'],
    description:
      'Exceptions to the SSRF guard, for development and tests only: comma-separated host names and CIDRs.',
    schema: list().default([]),
    defaultText: 'none',
  }),
  webhookRetryDelaysMs: setting({
    name: 'NETPLAY_WEBHOOK_RETRY_DELAYS_MS',
    processes: ['api', 'worker'],
    description: 'Comma-separated delays between webhook delivery attempts, without jitter.',
    schema: integerList().optional(),
    defaultText: 'production schedule (docs/webhooks.md)',
  }),
  webhookDisableAfterFailures: setting({
    name: 'NETPLAY_WEBHOOK_DISABLE_AFTER_FAILURES',
    processes: ['api', 'worker'],
    description: 'Consecutive failed deliveries after which an endpoint is disabled.',
    schema: integer(1, 1_000_000).default(20),
  }),

  // Operations
  logLevel: setting({
    name: 'NETPLAY_LOG_LEVEL',
    processes: ['api', 'worker'],
    description: `Lowest level logged: ${LOG_LEVELS.join(', ')}.`,
    schema: oneOf(LOG_LEVELS).default('info'),
  }),
  logFormat: setting({
    name: 'NETPLAY_LOG_FORMAT',
    processes: ['api', 'worker'],
    description: 'JSON lines (`json`) or human-readable lines for a terminal (`pretty`).',
    schema: oneOf(LOG_FORMATS).default('json'),
  }),
  retentionDays: setting({
    name: 'NETPLAY_RETENTION_DAYS',
    processes: ['api', 'worker'],
    description:
      'Finished runs (with their results), delivered or abandoned webhook messages and LTI launches older than this many days are deleted; 0 keeps everything.',
    schema: integer(0, 36_500).default(30),
  }),
  retentionIntervalMs: setting({
    name: 'NETPLAY_RETENTION_INTERVAL_MS',
    processes: ['api', 'worker'],
    description: 'How often the retention job runs.',
    schema: integer(1_000, DAY_MS).default(HOUR_MS),
  }),
} as const;

export type Settings = typeof SETTINGS;
export type SettingKey = keyof Settings;
