// @netplay/db: the only code that touches the Prisma client.
export {
  createPrismaClient,
  DEFAULT_DATA_DIR,
  type DatabaseHandle,
  type PrismaClientOptions,
} from './prisma-client';
export {
  applyMigrations,
  migrationChecksum,
  readMigrations,
  DEFAULT_MIGRATIONS_DIR,
  type MigrationFile,
  type MigrationProblem,
  type MigrationReport,
} from './migrate';
export { applyMigrationsTo, type MigrationTarget } from './migrate-target';
export { pgSession, pgliteSession, type SqlSession } from './sql-session';
export { pgliteExecutor, poolExecutor, type Database, type SqlExecutor } from './sql-executor';
export {
  decodeCursor,
  decodeKeyCursor,
  encodeCursor,
  encodeKeyCursor,
  encodeVersionCursor,
  pageSize,
  type Page,
  type PageRequest,
} from './paging';
export {
  isRepositoryError,
  RepositoryError,
  REPOSITORY_ERROR_CODES,
  type RepositoryErrorCode,
} from './repository-error';
export { isDatabaseUnavailable } from './prisma-errors';
export * from './tenant.repository';
export * from './bearer-token';
export * from './api-key.repository';
export * from './sandbox.repository';
export * from './run.repository';
export * from './outbox.repository';
export type { PrismaClient } from './generated/prisma/client';
export * from './service-status.repository';
export * from './secret-cipher';
export * from './webhook-endpoint.repository';
export * from './webhook-event.repository';
export * from './tenant-event.repository';
export * from './exercise.repository';
export * from './lti-platform.repository';
export * from './lti-launch.repository';
export * from './learner-session.repository';
export * from './owner-scope';
export * from './share-link.repository';
export * from './retention.repository';
export * from './database-clock';
