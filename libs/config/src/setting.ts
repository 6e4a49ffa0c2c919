// One setting of the environment: its name, the deprecated names it still answers to, which
// processes read it, and a zod schema that turns the raw text into a typed value. Schemas take the
// raw string (an empty value counts as unset, as a shell `FOO=` means) and give defaults through
// zod's `.default()`, so the settings table shows the very value the code uses.
import { z } from 'zod';

export type ProcessName = 'api' | 'worker' | 'migrate';

export interface Setting<S extends z.ZodType = z.ZodType> {
  /** The canonical name: every setting is `NETPLAY_*`. */
  name: string;
  /** Older names still read (with one deprecation warning) when the canonical one is unset. */
  aliases?: readonly string[];
  processes: readonly ProcessName[];
  description: string;
  schema: S;
  /** Shown as the default when the schema has none (`.default()`), e.g. "embedded PGlite". */
  defaultText?: string;
  /** A production deployment (PostgreSQL + Redis) sets it; the settings table says so. */
  requiredInProduction?: boolean;
  /** Never echoed in messages or logs. */
  secret?: boolean;
}

export function setting<S extends z.ZodType>(definition: Setting<S>): Setting<S> {
  return definition;
}

/** An integer in [min, max], written in decimal. */
export function integer(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .refine((raw) => /^-?\d+$/.test(raw.trim()), { message })
    .transform((raw) => Number(raw.trim()))
    .refine((value) => value >= min && value <= max, { message });
}

/** `true` or `false`. */
export function flag() {
  return z
    .string()
    .refine((raw) => raw === 'true' || raw === 'false', { message: 'must be true or false' })
    .transform((raw) => raw === 'true');
}

/** Free text, at least `minLength` characters. */
export function text(minLength = 1) {
  return z.string().min(minLength, { message: `must be at least ${minLength} characters` });
}

/** A URL whose scheme is one of `protocols` (without the colon). */
export function url(protocols: readonly string[]) {
  const message = `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`;
  return z.string().refine(
    (raw) => {
      try {
        return protocols.includes(new URL(raw).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message },
  );
}

/** Comma-separated entries, blanks dropped: `a, b,` is `['a', 'b']`. */
export function list() {
  return z.string().transform((raw) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  );
}

/** Comma-separated non-negative integers. */
export function integerList() {
  const message = 'must be comma-separated non-negative integers';
  return z
    .string()
    .refine(
      (raw) =>
        raw
          .split(',')
          .every((entry) => /^\d+$/.test(entry.trim()) && Number.isSafeInteger(Number(entry))),
      { message },
    )
    .transform((raw) => raw.split(',').map((entry) => Number(entry.trim())));
}

/** A key of exactly `bytes` bytes, written in base64 (`openssl rand -base64 32`). */
export function base64Key(bytes: number) {
  return z
    .string()
    .refine(
      (raw) => /^[A-Za-z0-9+/=_-]+$/.test(raw) && Buffer.from(raw, 'base64').length === bytes,
      { message: `must be ${bytes} bytes in base64 (openssl rand -base64 ${bytes})` },
    );
}

/** One of the given words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { message: `must be one of ${values.join(', ')}` });
}
