// Bodies nested deeper than any request needs are refused right after JSON parsing: validation
// and class-transformer walk bodies recursively, and 10 000 levels of `[[[…]]]` overflowed the stack
// (a 500). Kubernetes objects nest about 15 levels; GraphQL variables carry the same objects.
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a parsed JSON value, measured without recursion, stopping past `limit`. */
export function jsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

export function jsonDepthLimit(limit: number = MAX_JSON_DEPTH) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const body: unknown = request.body;
    if (body === null || typeof body !== 'object' || jsonDepth(body, limit) <= limit) return next();
    // To the error handler, which answers in the route's shape (REST or GraphQL).
    next(
      new ApiError(
        'bad-request',
        `the JSON body is nested more than ${limit} levels deep; the limit is ${limit}`,
        [{ field: 'body', message: `nested more than ${limit} levels` }],
      ),
    );
  };
}
