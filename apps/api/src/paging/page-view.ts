// Repository pages as the API shows them (`{items, nextCursor?}`, docs/api.md "Pagination"), and
// the one answer to a cursor the API did not issue.
import type { Page, PageResult } from '@netplay/db';
import { ApiError } from '../errors/api-error';

export function unknownCursor(): ApiError {
  return new ApiError('validation-failed', 'cursor is not one this API returned', [
    { field: 'cursor', message: 'unknown cursor' },
  ]);
}

export function pageView<Row, View>(result: PageResult<Row>, view: (row: Row) => View): Page<View> {
  if (!result.ok) throw unknownCursor();
  return {
    items: result.page.items.map(view),
    ...(result.page.nextCursor ? { nextCursor: result.page.nextCursor } : {}),
  };
}
