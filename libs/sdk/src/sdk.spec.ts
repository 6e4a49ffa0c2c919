import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import {
  createNetplayClient,
  NetplayApiError,
  pages,
  probeTraces,
  verifyWebhook,
  type Run,
  type ScenarioResult,
} from './index';

const REPO = path.join(__dirname, '../../..');

describe('the generated types', () => {
  it('are what openapi-typescript makes of the committed apps/api/openapi.json', async () => {
    const cli = path.join(REPO, 'node_modules/openapi-typescript/bin/cli.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      // The flags of `npm run sdk:generate` (libs/sdk/package.json).
      [cli, path.join(REPO, 'apps/api/openapi.json'), '--default-non-nullable', 'false'],
      { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
    );
    // A drifted file fails here: run `npm run sdk:generate` and commit it.
    expect(readFileSync(path.join(__dirname, 'generated/openapi.ts'), 'utf8')).toBe(stdout);
  });
});

/** A fetch answering each call from a list, recording the URLs asked for. */
function scriptedFetch(answers: { status: number; body: unknown }[]) {
  const urls: string[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    urls.push(input.url);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${input.url}`);
    return new Response(JSON.stringify(next.body), {
      status: next.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, urls };
}

const run = (id: string) => ({ id, status: 'succeeded' }) as Run;

describe('pages', () => {
  it('walks every page with the cursor each one names, and stops after the last', async () => {
    const { fetch, urls } = scriptedFetch([
      { status: 200, body: { items: [run('r3'), run('r2')], nextCursor: 'c1' } },
      { status: 200, body: { items: [run('r1')] } },
    ]);
    const client = createNetplayClient({ baseUrl: 'http://api.test/', apiKey: 'np_x', fetch });
    const ids: string[] = [];
    for await (const item of pages<Run>((cursor) =>
      client.GET('/v1/runs', { params: { query: { cursor, limit: 2 } } }),
    ))
      ids.push(item.id);
    expect(ids).toEqual(['r3', 'r2', 'r1']);
    expect(urls).toEqual([
      'http://api.test/v1/runs?limit=2',
      'http://api.test/v1/runs?cursor=c1&limit=2',
    ]);
  });

  it('throws the API error, code and status, when a page is refused', async () => {
    const { fetch } = scriptedFetch([
      {
        status: 400,
        body: {
          error: { code: 'validation-failed', message: 'cursor is not one this API returned' },
        },
      },
    ]);
    const client = createNetplayClient({ baseUrl: 'http://api.test', apiKey: 'np_x', fetch });
    const walk = pages<Run>((cursor) =>
      client.GET('/v1/runs', { params: { query: { cursor: cursor ?? 'bad' } } }),
    );
    await expect(walk.next()).rejects.toEqual(
      expect.objectContaining({
        name: 'NetplayApiError',
        status: 400,
        code: 'validation-failed',
        message: 'cursor is not one this API returned',
      }),
    );
    await expect(walk.next()).resolves.toEqual({ done: true, value: undefined });
    expect(new NetplayApiError(502, 'Bad Gateway').code).toBe('internal');
  });

  it('sends the key as a bearer token', async () => {
    const seen: string[] = [];
    const client = createNetplayClient({
      baseUrl: 'http://api.test',
      apiKey: 'np_secret',
      fetch: async (request: Request) => {
        seen.push(request.headers.get('authorization') ?? '');
        return new Response('{"items":[]}', { headers: { 'content-type': 'application/json' } });
      },
    });
    await client.GET('/v1/sandboxes');
    expect(seen).toEqual(['Bearer np_secret']);
  });
});

describe('verifyWebhook', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const body = JSON.stringify({
    type: 'endpoint.ping',
    timestamp: '2026-12-07T09:00:00.000Z',
    data: { endpointId: 'e1', url: 'https://lms.example.com/hooks' },
  });
  const signed = (at: Date) => {
    const id = 'msg_1';
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    };
  };

  it('returns the event of a correctly signed delivery, from plain or Fetch headers', () => {
    const headers = signed(new Date());
    const event = verifyWebhook(body, headers, secret);
    expect(event).toEqual(JSON.parse(body));
    if (event.type === 'endpoint.ping') expect(event.data.endpointId).toBe('e1');
    const upper = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]),
    );
    expect(verifyWebhook(body, upper, secret)).toEqual(event);
    expect(verifyWebhook(body, new Headers(headers), secret)).toEqual(event);
  });

  it('refuses a changed body, another secret and a stale timestamp', () => {
    const headers = signed(new Date());
    expect(() => verifyWebhook(body.replace('e1', 'e2'), headers, secret)).toThrow();
    const other = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    expect(() => verifyWebhook(body, headers, other)).toThrow();
    expect(() => verifyWebhook(body, signed(new Date(Date.now() - 10 * 60_000)), secret)).toThrow();
  });
});

describe('probeTraces', () => {
  it('picks the probe results out of a run result, in step order', () => {
    const probe = { kind: 'probe', verdict: 'delivered' };
    const result = {
      issues: [],
      steps: [
        { index: 0, kind: 'get', result: { view: '', issues: [] } },
        { index: 1, kind: 'probe', result: probe },
        { index: 2, kind: 'dns', result: { kind: 'dns' } },
      ],
    } as unknown as ScenarioResult;
    expect(probeTraces(result)).toEqual([probe]);
    expect(probeTraces(null)).toEqual([]);
  });
});
