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

/**
 * Prisma's codes for an unreachable, vanished or saturated database server (P1001 can't reach,
 * P1002 timed out, P1008 operation timed out, P1017 server closed the connection, P2024 no pool
 * connection in time, P2028 a transaction that could not start or finish in time) and SQLSTATEs
 * of a server going away (class 08 connection exceptions, 57P01-57P03 admin shutdown / crash
 * shutdown / cannot connect now), plus the socket errors pg passes on.
 */
const UNAVAILABLE_CODES = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  // Transaction API error: no connection for the transaction within its maxWait, or it ran past
  // its timeout (rolled back): the database is saturated, retry later.
  'P2028',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Client has encountered a connection error/i;

/** The database server could not be reached or went away: a 503 to retry, not a 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  // pg and the driver adapters wrap the socket error a few levels deep.
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
