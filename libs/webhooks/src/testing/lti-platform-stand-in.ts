// A small LTI 1.3 platform on loopback for tests: the token endpoint verifies the client assertion
// (RFC 7523) against the tool's public keys — given directly, or fetched from the tool's JWKS URL as
// a real platform does — and the requested scope; `/lineitems/<id>/scores` checks the bearer token,
// the content type and the AGS score body. `failNextScores` scripts 5xx answers for retry tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { AGS_SCORE_SCOPE, CLIENT_ASSERTION_TYPE, SCORE_CONTENT_TYPE } from '../lti/lti-types';

export const STAND_IN_ISSUED_TOKEN = 'platform-issued-token';

export interface ReceivedScore {
  /** Path and query of the scores URL the score was posted to. */
  path: string;
  score: Record<string, unknown>;
}

export interface PlatformLog {
  tokenRequests: number;
  scores: ReceivedScore[];
  refusals: string[];
}

export interface LtiPlatformStandInOptions {
  clientId: string;
  /** The tool's keys, read on every token request (e.g. fetched from the JWKS the API serves). */
  keys: () => JSONWebKeySet | Promise<JSONWebKeySet>;
}

export interface LtiPlatformStandIn {
  baseUrl: string;
  tokenUrl: string;
  log: PlatformLog;
  /** The next `count` score posts are answered with `status` (and not recorded). */
  failNextScores(count: number, status: number): void;
  close(): Promise<void>;
}

const SCORES_PATH = /^\/lineitems\/[^/?]+\/scores(\?.*)?$/;

export async function startLtiPlatformStandIn(
  options: LtiPlatformStandInOptions,
): Promise<LtiPlatformStandIn> {
  const log: PlatformLog = { tokenRequests: 0, scores: [], refusals: [] };
  let scriptedFailures: { count: number; status: number } = { count: 0, status: 500 };
  let baseUrl = '';
  const refuse = (res: http.ServerResponse, status: number, why: string) => {
    log.refusals.push(why);
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: why }));
  };

  const handleToken = async (body: string, res: http.ServerResponse) => {
    log.tokenRequests++;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials')
      return refuse(res, 400, 'unsupported_grant_type');
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE)
      return refuse(res, 400, 'invalid_client');
    if (form.get('scope') !== AGS_SCORE_SCOPE) return refuse(res, 400, 'invalid_scope');
    try {
      const keys = createLocalJWKSet(await options.keys());
      const { payload } = await jwtVerify(form.get('client_assertion') ?? '', keys, {
        issuer: options.clientId,
        subject: options.clientId,
        audience: `${baseUrl}/token`,
        algorithms: ['RS256'],
      });
      if (!payload.jti) return refuse(res, 401, 'invalid_client');
    } catch {
      return refuse(res, 401, 'invalid_client');
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: STAND_IN_ISSUED_TOKEN,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: AGS_SCORE_SCOPE,
      }),
    );
  };

  const handleScore = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${STAND_IN_ISSUED_TOKEN}`)
      return refuse(res, 401, 'bad token');
    if (req.headers['content-type'] !== SCORE_CONTENT_TYPE)
      return refuse(res, 415, 'bad content type');
    if (scriptedFailures.count > 0) {
      scriptedFailures = { ...scriptedFailures, count: scriptedFailures.count - 1 };
      return refuse(res, scriptedFailures.status, 'scripted failure');
    }
    const score = JSON.parse(body) as Record<string, unknown>;
    const valid =
      typeof score.userId === 'string' &&
      typeof score.scoreGiven === 'number' &&
      typeof score.scoreMaximum === 'number' &&
      score.activityProgress === 'Completed' &&
      score.gradingProgress === 'FullyGraded' &&
      typeof score.timestamp === 'string' &&
      !Number.isNaN(Date.parse(score.timestamp));
    if (!valid) return refuse(res, 400, 'bad score');
    log.scores.push({ path: req.url ?? '', score });
    res.writeHead(200).end();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/token' && req.method === 'POST') return void handleToken(body, res);
      if (req.method === 'POST' && SCORES_PATH.test(req.url ?? ''))
        return handleScore(req, body, res);
      refuse(res, 404, `no route ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    tokenUrl: `${baseUrl}/token`,
    log,
    failNextScores: (count, status) => {
      scriptedFailures = { count, status };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
