// The cipher of endpoint secrets and LTI keys, opened the same way by the API and the worker.
import { SecretCipher, secretCipherFromKey } from '@netplay/db';
import { randomBytes } from 'node:crypto';

/**
 * The cipher of endpoint secrets and LTI keys from NETPLAY_SECRET_KEY. Without a usable key (and
 * outside embedded mode, which has a development key) it is a throwaway one, and
 * `secretsUnavailable` says why: nothing encrypted with it could be read later, so creating
 * endpoints is refused and stored secrets cannot be decrypted.
 */
export function openSecretCipher(options: {
  secretKey?: string;
  embedded: boolean;
  warn?: (message: string) => void;
}): { cipher: SecretCipher; secretsUnavailable?: string } {
  try {
    return {
      cipher: secretCipherFromKey({
        key: options.secretKey,
        embedded: options.embedded,
        warn: options.warn,
      }),
    };
  } catch (error) {
    return {
      cipher: SecretCipher.fromKey(randomBytes(32)),
      secretsUnavailable: error instanceof Error ? error.message : String(error),
    };
  }
}
