// The one error a repository throws on purpose: the request met the data and the data said no (a
// unique name already taken, a version someone else moved on, a cursor no listing issued). Callers
// translate it by its code; anything else a repository throws is a fault (database unreachable, a
// broken invariant). Not finding a row is no error: reads answer `undefined` (docs/data.md,
// "Repository results").

export const REPOSITORY_ERROR_CODES = ['already-exists', 'version-conflict', 'bad-cursor'] as const;

export type RepositoryErrorCode = (typeof REPOSITORY_ERROR_CODES)[number];

export class RepositoryError extends Error {
  constructor(
    readonly code: RepositoryErrorCode,
    message: string,
    /** For `version-conflict`: the version the row is at now. */
    readonly currentVersion?: number,
  ) {
    super(message);
    this.name = 'RepositoryError';
  }
}

/** A cursor that decodes to no position: the listing did not issue it. */
export function badCursor(): RepositoryError {
  return new RepositoryError('bad-cursor', 'the cursor is not one this listing returned');
}

/** Whether `error` is a RepositoryError with `code`. */
export function isRepositoryError(
  error: unknown,
  code?: RepositoryErrorCode,
): error is RepositoryError {
  return error instanceof RepositoryError && (code === undefined || error.code === code);
}
