import { ApiError } from './api-error';

/** The one answer to a cursor the API did not issue (docs/api.md, "Pagination"). */
export function unknownCursor(): ApiError {
  return new ApiError('validation-failed', 'cursor is not one this API returned', [
    { field: 'cursor', message: 'unknown cursor' },
  ]);
}
