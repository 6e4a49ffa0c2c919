// Every list of the API is a keyset page `{items, nextCursor}`; `pages` walks one to its end.
import { dataOf, type FetchResult } from './client';

export interface Page<Item> {
  items: Item[];
  nextCursor?: string;
}

/**
 * Every item of a list, page after page: `fetchPage` gets the cursor of the next page (undefined
 * for the first) and makes the call, e.g.
 * `pages((cursor) => client.GET('/v1/runs', { params: { query: { cursor, limit: 100 } } }))`.
 */
export async function* pages<Item>(
  fetchPage: (cursor: string | undefined) => Promise<FetchResult<Page<Item>>>,
): AsyncGenerator<Item, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = dataOf(await fetchPage(cursor));
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
