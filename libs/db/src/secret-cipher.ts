// Webhook signing secrets cannot be hashed like API keys (we need them back to sign), so they are
// encrypted at rest with AES-256-GCM (NIST SP 800-38D: 96-bit random IV, 128-bit tag). Each
// ciphertext is bound to the row it belongs to through the additional authenticated data, so a
// ciphertext copied into another endpoint's row fails to decrypt instead of signing for it.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Stored form: `v1.<base64url(iv | tag | ciphertext)>`; the version leaves room for key rotation. */
const FORMAT_VERSION = 'v1';

export const SECRET_KEY_ENV = 'NETPLAY_SECRET_KEY';

/**
 * The embedded (single-user, local) mode's key: derived from a public string, so it protects
 * nothing and is only used there, with a warning.
 */
const DEVELOPMENT_KEY = createHash('sha256')
  .update('netplay development secret key (not secret)')
  .digest();

export class SecretCipher {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretCipher {
    if (key.length !== KEY_BYTES)
      throw new Error(`${SECRET_KEY_ENV} must be ${KEY_BYTES} bytes (base64), got ${key.length}`);
    return new SecretCipher(Buffer.from(key));
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Throws when the ciphertext was tampered with, belongs to another row, or another key made it. */
  decrypt(stored: string, context: string): string {
    const [version, encoded] = stored.split('.');
    if (version !== FORMAT_VERSION || !encoded) throw new Error('unknown secret ciphertext format');
    const raw = Buffer.from(encoded, 'base64url');
    const decipher = createDecipheriv(ALGORITHM, this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

export interface SecretKeySettings {
  /** The configured `NETPLAY_SECRET_KEY` (base64 of 32 bytes), read by the process's config. */
  key: string | undefined;
  /** Embedded mode (PGlite, local use) may fall back to the development key. */
  embedded: boolean;
  /** Told, once, that the development key is in use; the key itself is never passed to it. */
  warn?: (message: string) => void;
}

/** The cipher for `NETPLAY_SECRET_KEY`; without it, the development key in embedded mode only. */
export function secretCipherFromKey(settings: SecretKeySettings): SecretCipher {
  if (settings.key) return SecretCipher.fromKey(Buffer.from(settings.key, 'base64'));
  if (!settings.embedded) {
    throw new Error(
      `${SECRET_KEY_ENV} is not set: webhook secrets need a 32-byte base64 key (openssl rand -base64 32)`,
    );
  }
  settings.warn?.(
    `${SECRET_KEY_ENV} is not set: webhook secrets are encrypted with the built-in development key, which is public. Set it before storing real secrets.`,
  );
  return SecretCipher.fromKey(DEVELOPMENT_KEY);
}
