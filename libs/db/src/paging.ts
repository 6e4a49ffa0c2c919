// Keyset ("cursor") pagination over (created_at, id), newest first: stable under inserts, and each
// page is an index range scan on (tenant_id, created_at, id) instead of an ever-growing OFFSET.
import { badCursor } from './repository-error';

export interface PageRequest {
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<Item> {
  items: Item[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString(
    'base64url',
  );
}

/** Undefined for a cursor this code did not make: callers treat it as a bad request. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  const [iso, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (extra !== undefined || !id || Number.isNaN(createdAt.getTime())) return undefined;
  return { createdAt, id };
}

/** Prisma `where` fragment selecting rows strictly after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(position: CursorPosition) {
  return {
    OR: [
      { createdAt: { lt: position.createdAt } },
      { createdAt: position.createdAt, id: { lt: position.id } },
    ],
  };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Builds a page from `size + 1` fetched rows: the extra row only says whether another page exists. */
export function toPage<Row extends CursorPosition, Item>(
  rows: Row[],
  size: number,
  map: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > size;
  const pageRows = hasMore ? rows.slice(0, size) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last ? encodeCursor(last) : undefined,
  };
}

/**
 * Cursors over a number that only grows (a sandbox's revision version), newest first: the same
 * opaque base64url as the (created_at, id) cursors, marked so one kind is never read as the other.
 */
export function encodeVersionCursor(version: number): string {
  return Buffer.from(`v|${version}`, 'utf8').toString('base64url');
}

export function decodeVersionCursor(cursor: string): number | undefined {
  const [mark, version, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const value = Number(version);
  if (mark !== 'v' || extra !== undefined || !Number.isInteger(value) || value < 1)
    return undefined;
  return value;
}

/**
 * Cursors over a text key in byte order (a learner reference), marked like the version cursors so
 * no other kind of cursor is read as one. The key may itself hold `|`.
 */
export function encodeKeyCursor(key: string): string {
  return Buffer.from(`k|${key}`, 'utf8').toString('base64url');
}

export function decodeKeyCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('k|') || text.length === 2) return undefined;
  return text.slice(2);
}

/**
 * One keyset page, newest first: `fetch` reads `take` rows matching `where` (the cursor's
 * position, `{}` on the first page) in NEWEST_FIRST order. Throws `bad-cursor` for a cursor that
 * decodes to no position.
 */
export async function keysetPage<Row extends CursorPosition>(
  request: PageRequest,
  fetch: (
    where: ReturnType<typeof afterCursor> | Record<string, never>,
    take: number,
  ) => Promise<Row[]>,
): Promise<Page<Row>> {
  const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  if (request.cursor !== undefined && !position) throw badCursor();
  const size = pageSize(request.limit);
  const rows = await fetch(position ? afterCursor(position) : {}, size + 1);
  return toPage(rows, size, (row) => row);
}
