// Error answers never echo more than a short excerpt of what was sent: a message or a detail
// string is cut to a few hundred characters and a list of problems to its first entries, so a
// 2 MiB input with 40 000 problems answers in a few kilobytes.

export const MAX_MESSAGE_CHARS = 1_000;
export const MAX_DETAIL_STRING_CHARS = 300;
export const MAX_DETAIL_ITEMS = 50;
const MAX_DETAIL_DEPTH = 6;

export function excerpt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
}

export interface BoundedDetails {
  details: unknown;
  /** Entries left out of the longest list cut (0: nothing was cut). */
  omitted: number;
}

export function boundDetails(details: unknown): BoundedDetails {
  let omitted = 0;
  const bound = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return excerpt(value, MAX_DETAIL_STRING_CHARS);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DETAIL_DEPTH) return '…';
    if (Array.isArray(value)) {
      omitted = Math.max(omitted, value.length - MAX_DETAIL_ITEMS);
      return value.slice(0, MAX_DETAIL_ITEMS).map((item) => bound(item, depth + 1));
    }
    const entries = Object.entries(value).slice(0, MAX_DETAIL_ITEMS);
    return Object.fromEntries(entries.map(([key, item]) => [key, bound(item, depth + 1)]));
  };
  return { details: bound(details, 0), omitted };
}

/** The message and details as they may be sent. */
export function boundedError(
  message: string,
  details: unknown,
): { message: string; details: unknown } {
  const bounded = boundDetails(details);
  const note = bounded.omitted > 0 ? ` (${bounded.omitted} more problems not listed)` : '';
  return { message: `${excerpt(message, MAX_MESSAGE_CHARS)}${note}`, details: bounded.details };
}
