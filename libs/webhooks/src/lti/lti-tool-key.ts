// The tool's signing key pair. The public half is published as a JWK (through a JWKS URL or pasted
// into the platform's tool registration); the platform checks client assertions with it.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { LtiPlatformRegistration } from './lti-types';

export interface LtiToolKey {
  privateKey: KeyObject;
  keyId: string;
  publicJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
}

/**
 * A new 2048-bit RSA key (RS256 is the algorithm LTI 1.3 Security Framework §6.1 requires). Made on
 * libuv's thread pool: finding two 1024-bit primes takes ~100-300 ms of CPU, which the synchronous
 * form would spend on the event loop.
 */
export async function generateLtiToolKey(keyId: string = randomUUID()): Promise<LtiToolKey> {
  const privateKey = await new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
  return toolKey(privateKey, keyId);
}

/** The key from a PKCS#8 PEM (the form it is stored in configuration). */
export function ltiToolKeyFromPem(pem: string, keyId: string): LtiToolKey {
  return toolKey(createPrivateKey(pem), keyId);
}

/**
 * What the tool needs to call a platform's services (AGS, NRPS): a stored platform row (its token
 * URL, client id and the tool's private key as PEM) as the services' clients take it.
 */
export function platformRegistrationOf(platform: {
  tokenUrl: string;
  clientId: string;
  privateKeyPem: string;
  keyId: string;
}): LtiPlatformRegistration {
  const key = ltiToolKeyFromPem(platform.privateKeyPem, platform.keyId);
  return {
    tokenUrl: platform.tokenUrl,
    clientId: platform.clientId,
    privateKey: key.privateKey,
    keyId: key.keyId,
  };
}

function toolKey(privateKey: KeyObject, keyId: string): LtiToolKey {
  const publicJwk = {
    ...createPublicKey(privateKey).export({ format: 'jwk' }),
    kid: keyId,
    alg: 'RS256' as const,
    use: 'sig' as const,
  };
  return { privateKey, keyId, publicJwk };
}
