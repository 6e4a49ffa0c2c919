import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';
import type { SsrfPolicy } from '../ssrf-guard';
import { passBackScore, scoresUrl } from './ags-client';
import { generateLtiToolKey, type LtiToolKey } from './lti-tool-key';
import { AGS_SCORE_SCOPE, CLIENT_ASSERTION_TYPE, SCORE_CONTENT_TYPE, type LtiPlatformRegistration } from './lti-types';

const CLIENT_ID = 'netplay-tool';
const ISSUED_TOKEN = 'platform-issued-token';
const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };

interface PlatformLog {
  tokenRequests: number;
  scores: unknown[];
  refusals: string[];
}

/**
 * A small LTI platform stand-in: the token endpoint verifies the client assertion with the tool's
 * registered public JWK and the requested scope; the scores endpoint checks the bearer token, the
 * content type and the score body.
 */
async function startPlatform(toolKey: LtiToolKey): Promise<{ baseUrl: string; log: PlatformLog; close(): Promise<void> }> {
  const log: PlatformLog = { tokenRequests: 0, scores: [], refusals: [] };
  const publicKey = await importJWK(toolKey.publicJwk, 'RS256');
  let baseUrl = '';
  const refuse = (res: http.ServerResponse, status: number, why: string) => {
    log.refusals.push(why);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: why }));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/token' && req.method === 'POST') {
        log.tokenRequests++;
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'client_credentials') return refuse(res, 400, 'unsupported_grant_type');
        if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return refuse(res, 400, 'invalid_client');
        if (form.get('scope') !== AGS_SCORE_SCOPE) return refuse(res, 400, 'invalid_scope');
        try {
          const { payload, protectedHeader } = await jwtVerify(form.get('client_assertion') ?? '', publicKey, {
            issuer: CLIENT_ID,
            subject: CLIENT_ID,
            audience: `${baseUrl}/token`,
            algorithms: ['RS256'],
          });
          if (protectedHeader.kid !== toolKey.keyId || !payload.jti) return refuse(res, 401, 'invalid_client');
        } catch {
          return refuse(res, 401, 'invalid_client');
        }
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: ISSUED_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: AGS_SCORE_SCOPE }));
      }
      if (req.url === '/lineitems/7/scores?type=x' && req.method === 'POST') {
        if (req.headers.authorization !== `Bearer ${ISSUED_TOKEN}`) return refuse(res, 401, 'bad token');
        if (req.headers['content-type'] !== SCORE_CONTENT_TYPE) return refuse(res, 415, 'bad content type');
        const score = JSON.parse(body);
        const valid =
          typeof score.userId === 'string' &&
          typeof score.scoreGiven === 'number' &&
          typeof score.scoreMaximum === 'number' &&
          score.activityProgress === 'Completed' &&
          score.gradingProgress === 'FullyGraded' &&
          !Number.isNaN(Date.parse(score.timestamp));
        if (!valid) return refuse(res, 400, 'bad score');
        log.scores.push(score);
        return res.writeHead(200).end();
      }
      refuse(res, 404, `no route ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, log, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('LTI AGS score passback', () => {
  const toolKey = generateLtiToolKey('tool-key-1');
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  beforeAll(async () => {
    platform = await startPlatform(toolKey);
  });
  afterAll(() => platform.close());

  const registration = (overrides: Partial<LtiPlatformRegistration> = {}): LtiPlatformRegistration => ({
    tokenUrl: `${platform.baseUrl}/token`,
    clientId: CLIENT_ID,
    privateKey: toolKey.privateKey,
    keyId: toolKey.keyId,
    ...overrides,
  });
  const grade = () => ({ lineItemUrl: `${platform.baseUrl}/lineitems/7?type=x`, userId: 'lti-user-42', scoreGiven: 7, scoreMaximum: 10 });

  it('gets a token with a signed assertion and posts the score', async () => {
    const before = platform.log.scores.length;
    const at = new Date();
    const outcome = await passBackScore(registration(), grade(), { policy: LOOPBACK_ALLOWED, now: () => at });
    expect(outcome).toEqual({ ok: true, statusCode: 200 });
    expect(platform.log.scores.slice(before)).toEqual([
      { userId: 'lti-user-42', scoreGiven: 7, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: at.toISOString() },
    ]);
  });

  it('is refused by the platform when the assertion is signed by another key', async () => {
    const outcome = await passBackScore(registration({ privateKey: generateLtiToolKey().privateKey }), grade(), { policy: LOOPBACK_ALLOWED });
    expect(outcome).toMatchObject({ ok: false, stage: 'token', statusCode: 401, errorClass: 'http_4xx' });
  });

  it('refuses platform URLs on blocked addresses before sending anything', async () => {
    const tokenRequests = platform.log.tokenRequests;
    const outcome = await passBackScore(registration(), grade(), { policy: { allowedHosts: [] } });
    expect(outcome).toMatchObject({ ok: false, stage: 'token', errorClass: 'ssrf_blocked' });
    expect(platform.log.tokenRequests).toBe(tokenRequests);
  });

  it.each([
    ['https://lms.example/api/lti/courses/1/line_items/7', 'https://lms.example/api/lti/courses/1/line_items/7/scores'],
    ['https://lms.example/lineitems/7/?type=x', 'https://lms.example/lineitems/7/scores?type=x'],
  ])('posts scores for line item %s to %s', (lineItem, expected) => {
    expect(scoresUrl(lineItem)).toBe(expected);
  });
});
