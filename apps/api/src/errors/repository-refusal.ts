// A repository's refusal (RepositoryError, docs/data.md "Repository results") becomes an ApiError
// at the edge (to-api-error.ts) with its own message; a service that can say more about the input
// (which field, what to do instead) translates it itself with `refusedAs`.
import { isRepositoryError, type RepositoryError, type RepositoryErrorCode } from '@netplay/db';
import { ApiError } from './api-error';
import { unknownCursor } from './unknown-cursor';

/** For `promise.catch(…)`: rethrows a refusal with `code` as `translate` says, anything else as it is. */
export function refusedAs(
  code: RepositoryErrorCode,
  translate: (error: RepositoryError) => ApiError,
): (error: unknown) => never {
  return (error) => {
    if (isRepositoryError(error, code)) throw translate(error);
    throw error;
  };
}

/** Exhaustive: a new refusal code without an answer is a compile error. */
export function fromRepositoryError(error: RepositoryError): ApiError {
  switch (error.code) {
    case 'already-exists':
      return new ApiError('conflict', error.message);
    case 'version-conflict':
      return new ApiError('version-conflict', error.message, {
        currentVersion: error.currentVersion,
      });
    case 'bad-cursor':
      return unknownCursor();
  }
}
