// Query-string parsing for the runs endpoints: bad input is a 400 naming the parameter.
import { ApiError } from '../errors/api-error';

export function readWaitFlag(raw: unknown): boolean {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw invalidParameter('wait', 'must be true or false');
}

export function readLimit(raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < 1 || value > 100)
    throw invalidParameter('limit', 'must be an integer from 1 to 100');
  return value;
}

export function readOptionalString(raw: unknown, field: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalidParameter(field, 'must be given once, as a string');
  return raw;
}

export function invalidParameter(field: string, message: string): ApiError {
  return new ApiError('validation-failed', `${field} ${message}`, [{ field, message }]);
}
