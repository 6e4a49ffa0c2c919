import { SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { validateIdToken, type IdTokenExpectations, type PlatformKeySource } from './id-token';
import { LTI_CLAIMS } from './lti-claims';
import { generateLtiToolKey, type LtiToolKey } from './lti-tool-key';

const ISSUER = 'https://lms.example';
const CLIENT = 'client-1';
const NOW = 1_800_000_000;

describe('validateIdToken (LTI Security Framework §5.1.3)', () => {
  let platformKey: LtiToolKey;
  let keySource: PlatformKeySource & { refetches: number };
  beforeAll(async () => {
    platformKey = await generateLtiToolKey('platform-1');
    const set: JSONWebKeySet = { keys: [platformKey.publicJwk as JWK] };
    keySource = {
      refetches: 0,
      keys: async () => ({ ok: true, keys: set }),
      refetch: async () => {
        keySource.refetches++;
        return { ok: true, keys: set };
      },
    };
  });

  const expectations: IdTokenExpectations = {
    issuer: ISSUER,
    clientId: CLIENT,
    nonce: 'n-1',
    deploymentIds: ['d-1'],
    messageTypes: ['LtiResourceLinkRequest'],
    now: NOW,
  };

  function token(
    claims: Record<string, unknown> = {},
    options: { audience?: string | string[]; iat?: number; issuer?: string } = {},
  ): Promise<string> {
    const payload: Record<string, unknown> = {
      nonce: 'n-1',
      [LTI_CLAIMS.messageType]: 'LtiResourceLinkRequest',
      [LTI_CLAIMS.version]: '1.3.0',
      [LTI_CLAIMS.deploymentId]: 'd-1',
      [LTI_CLAIMS.roles]: [],
      [LTI_CLAIMS.resourceLink]: { id: 'rl-1' },
      [LTI_CLAIMS.custom]: { exercise_id: 'e-1', ignored: 3 },
      ...claims,
    };
    for (const [name, value] of Object.entries(payload))
      if (value === undefined) delete payload[name];
    const iat = options.iat ?? NOW;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'platform-1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setSubject('user-1')
      .setAudience(options.audience ?? CLIENT)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .sign(platformKey.privateKey);
  }

  it('accepts a valid launch and reads its claims', async () => {
    const result = await validateIdToken(await token(), keySource, expectations);
    expect(result).toMatchObject({
      ok: true,
      claims: {
        subject: 'user-1',
        deploymentId: 'd-1',
        resourceLinkId: 'rl-1',
        custom: { exercise_id: 'e-1' },
      },
    });
  });

  it.each([
    ['aud naming several clients without azp', { aud: [CLIENT, 'other'] }, {}, 'wrong_audience'],
    ['azp naming another client', { aud: [CLIENT, 'other'] }, { azp: 'other' }, 'wrong_audience'],
    ['another issuer', { issuer: 'https://evil.example' }, {}, 'wrong_issuer'],
    ['an iat two minutes ahead', { iat: NOW + 120 }, {}, 'issued_in_future'],
    ['no roles claim', {}, { [LTI_CLAIMS.roles]: undefined }, 'missing_claim'],
    ['no resource link id', {}, { [LTI_CLAIMS.resourceLink]: {} }, 'missing_claim'],
    ['another nonce', {}, { nonce: 'n-2' }, 'nonce_mismatch'],
  ])('refuses %s', async (_, options, claims, reason) => {
    const { aud, ...rest } = options as { aud?: string[]; issuer?: string; iat?: number };
    const result = await validateIdToken(
      await token(claims, { ...rest, audience: aud }),
      keySource,
      expectations,
    );
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('accepts several audiences when azp is the client', async () => {
    const result = await validateIdToken(
      await token({ azp: CLIENT }, { audience: [CLIENT, 'other'] }),
      keySource,
      expectations,
    );
    expect(result.ok).toBe(true);
  });

  it('accepts an iat within the clock skew', async () => {
    const result = await validateIdToken(
      await token({}, { iat: NOW + 30 }),
      keySource,
      expectations,
    );
    expect(result.ok).toBe(true);
  });

  it('refuses a token that is not RS256 before looking at keys', async () => {
    const hs = await new SignJWT({ nonce: 'n-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    expect(await validateIdToken(hs, keySource, expectations)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });
});
