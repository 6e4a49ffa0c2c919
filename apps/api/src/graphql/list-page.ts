// A Relay page over a list a service returns whole (exercises: a tenant has few), with the same
// cursors as the keyset-paged connections, so clients page every connection the same way.
import { encodeCursor } from '@netplay/db';
import { ApiError } from '../errors/api-error';

const DEFAULT_PAGE_SIZE = 20;

/** `items` newest first; `after` is an edge cursor from an earlier page. */
export function pageOfList<Item extends { id: string; createdAt: string }>(
  items: Item[],
  first: number | undefined,
  after: string | undefined,
): { items: Item[]; nextCursor?: string } {
  let start = 0;
  if (after !== undefined) {
    const index = items.findIndex((item) => cursorOf(item) === after);
    if (index < 0)
      throw new ApiError('validation-failed', 'after is not a cursor of this list', [
        { field: 'after', message: 'unknown cursor' },
      ]);
    start = index + 1;
  }
  const size = first ?? DEFAULT_PAGE_SIZE;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return more ? { items: page, nextCursor: cursorOf(page[page.length - 1]) } : { items: page };
}

function cursorOf(item: { id: string; createdAt: string }): string {
  return encodeCursor({ createdAt: new Date(item.createdAt), id: item.id });
}
