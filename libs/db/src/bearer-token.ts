// The one shape of every secret netplay hands out (API keys, learner-session tokens, share
// tokens): a marker naming what it is, then 32 random bytes in base64url. Only the token's sha256
// is stored, so a leaked table leaks no token; the tokens are long and random, so a fast unsalted
// hash is enough (unlike passwords). A string of another shape cannot be a token and is never
// looked up.
import { createHash, randomBytes } from 'node:crypto';

const RANDOM_BYTES = 32;
/** 32 bytes are 43 base64url characters without padding. */
const ENCODED_LENGTH = 43;

export interface BearerTokenKind {
  /** The token's marker (`np_`, `nls_`, `nsh_`): secret scanners and humans recognise it. */
  readonly marker: string;
  isWellFormed(token: string): boolean;
  /** A new token and the hash to store for it. */
  issue(): { token: string; hash: string };
}

export function bearerTokenKind(marker: string): BearerTokenKind {
  if (!/^[a-z]+_$/.test(marker))
    throw new Error(`a token marker is lowercase letters and _: ${marker}`);
  const wellFormed = new RegExp(`^${marker}[A-Za-z0-9_-]{${ENCODED_LENGTH}}$`);
  return {
    marker,
    isWellFormed: (token) => wellFormed.test(token),
    issue() {
      const token = `${marker}${randomBytes(RANDOM_BYTES).toString('base64url')}`;
      return { token, hash: hashBearerToken(token) };
    },
  };
}

export function hashBearerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
