// Record ids are UUIDs (runs: version 7, time-ordered). Ids arrive from URLs and job payloads, and
// Postgres rejects a malformed uuid with an error rather than "no rows", so every layer that looks
// an id up checks its shape first and treats a malformed one as unknown.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the shape of a UUID (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
