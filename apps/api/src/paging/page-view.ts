// Repository pages as the API shows them (`{items, nextCursor?}`, docs/api.md "Pagination"). A
// cursor the API did not issue is refused by the repository (`bad-cursor`) and answered at the edge.
import type { Page } from '@netplay/db';

export function pageView<Row, View>(page: Page<Row>, view: (row: Row) => View): Page<View> {
  return {
    items: page.items.map(view),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** `pageView` for views that need a lookup each (the rows' lookups run together). */
export async function pageViewOf<Row, View>(
  page: Page<Row>,
  view: (row: Row) => Promise<View>,
): Promise<Page<View>> {
  const items = await Promise.all(page.items.map(view));
  return pageView({ ...page, items }, (item) => item);
}
