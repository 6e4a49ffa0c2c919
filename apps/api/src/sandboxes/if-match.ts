// Optimistic concurrency over HTTP: GET sends `ETag: "<version>"`, PATCH sends it back as `If-Match`
// (RFC 9110 §13.1.1) or as `version` in the body. Without either the update is refused with 428
// (RFC 6585 §3), so a client cannot overwrite someone else's change by accident.
import { ApiError } from '../errors/api-error';

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function expectedVersion(
  ifMatch: string | undefined,
  bodyVersion: number | undefined,
): number {
  const fromHeader = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ApiError('validation-failed', 'If-Match and version disagree', [
      { field: 'version', message: `If-Match says ${fromHeader}` },
    ]);
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined)
    throw new ApiError(
      'precondition-required',
      'send the version you read as If-Match: "<version>" or as version in the body',
    );
  return version;
}

function parseIfMatch(header: string): number {
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match)
    throw new ApiError('validation-failed', 'If-Match must be the sandbox ETag, e.g. "3"', [
      { field: 'If-Match', message: 'not a sandbox version' },
    ]);
  return Number(match[1]);
}
