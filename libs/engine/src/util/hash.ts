import { sha256 } from '@noble/hashes/sha2';
import { SAFE_ALPHABET } from './rng';

/** FNV-1a 32-bit, as Kubernetes' controller.ComputeHash uses (hash/fnv New32a). */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * rand.SafeEncodeString: maps each character of the decimal hash to the safe alphabet, which is how
 * pod-template-hash values like `5d755d9996` come about.
 */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++)
    out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** kube-proxy's chain-name hash: base32(sha256(text)) cut to 16 characters (proxier.go portProtoHash). */
export function kubeProxyHash(text: string): string {
  return base32(sha256(new TextEncoder().encode(text))).slice(0, 16);
}
