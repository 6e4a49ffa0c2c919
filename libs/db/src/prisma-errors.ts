import { Prisma } from './generated/prisma/client';

/** SQLSTATE unique_violation (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const PG_UNIQUE_VIOLATION = '23505';

/**
 * A unique constraint rejected the write. Prisma reports P2002
 * (https://www.prisma.io/docs/orm/reference/error-reference#p2002) when the driver adapter classifies
 * the error, as @prisma/adapter-pg does; pglite-prisma-adapter 0.6 passes the raw Postgres error on
 * (a DriverAdapterError whose cause carries SQLSTATE 23505), so both shapes are recognised.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return true;
  const cause = error instanceof Error ? error.cause : undefined;
  return (
    typeof cause === 'object' &&
    cause !== null &&
    'code' in cause &&
    cause.code === PG_UNIQUE_VIOLATION
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids arrive from URLs; Postgres rejects a malformed uuid with an error rather than "no rows", so
 * repositories check the shape first and answer "not found".
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
