// Relay-style connections over the services' keyset pages. Each edge's cursor is the position of
// its row, so a client may resume after any edge, not only after the last one.
import { encodeCursor } from '@netplay/db';
import { ApiError } from '../errors/api-error';

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 100;

export function toConnection<Node extends { id: string; createdAt: string }>(page: {
  items: Node[];
  nextCursor?: string;
}): Connection<Node> {
  const edges = page.items.map((node) => ({
    cursor: encodeCursor({ createdAt: new Date(node.createdAt), id: node.id }),
    node,
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.nextCursor !== undefined,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** `first` as a page size: 1-100, like REST's `limit`. */
export function pageSizeArg(first: number | undefined | null): number | undefined {
  if (first === undefined || first === null) return undefined;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ApiError('validation-failed', `first must be from 1 to ${MAX_PAGE_SIZE}`, [
      { field: 'first', message: `must be from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return first;
}

/**
 * Cost of a connection field for the complexity limit: its children once per requested item
 * (20 when `first` is not given, the services' default page size).
 */
export function connectionCost({
  args,
  childComplexity,
}: {
  args: Record<string, unknown>;
  childComplexity: number;
}): number {
  const first = typeof args.first === 'number' ? args.first : 20;
  return 1 + first * childComplexity;
}
