// GraphQL is bounded before it is authorised: what a caller without a key (or with a forged one)
// can make the process do, the limits an authorised caller meets, the graphql-ws handshake, and
// mutations paying into the same rate-limit budget as REST.
import { withTimeout } from '@netplay/testing';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import WebSocket from 'ws';

import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';

jest.setTimeout(60_000);

/** The reported shape: ~25 fragments each spreading the next twice (2^25 paths), about 1.5 KB. */
function fragmentFanOut(): string {
  let query = 'query FanOut { sandboxes { edges { node { ...F0 } } } }\n';
  for (let i = 0; i < 25; i += 1)
    query += `fragment F${i} on Sandbox { id name ...F${i + 1} ...F${i + 1} }\n`;
  return `${query}fragment F25 on Sandbox { id }\n`;
}

const FORGED = { Authorization: `Bearer np_${'x'.repeat(43)}` };
/** Generous bound for an answer that must not wait on the work it refuses (it took > 90 s). */
const PROMPT_MS = 2_000;

describeWithServices('GraphQL limits before and after authorisation', () => {
  let api: TestApi;
  let wsUrl: string;

  beforeAll(async () => {
    api = await startTestApi();
    await api.api.app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(api.api.app.getHttpServer().address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await api?.close();
  });

  async function timed(call: request.Test): Promise<{ response: request.Response; ms: number }> {
    const started = Date.now();
    const response = await call;
    return { response, ms: Date.now() - started };
  }

  it('refuses the fragment fan-out promptly without a key, with a forged key and with a real one', async () => {
    const query = fragmentFanOut();
    expect(query.length).toBeLessThan(1_600);
    const { auth } = await api.newTenant();
    const anonymous = await timed(request(api.http).post('/graphql').send({ query }));
    const forged = await timed(request(api.http).post('/graphql').set(FORGED).send({ query }));
    const keyed = await timed(request(api.http).post('/graphql').set(auth).send({ query }));
    expect([anonymous.response.status, forged.response.status, keyed.response.status]).toEqual([
      401, 401, 400,
    ]);
    expect(keyed.response.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    for (const { ms } of [anonymous, forged, keyed]) expect(ms).toBeLessThan(PROMPT_MS);
  });

  it('refuses a 2 MiB query from its size, before parsing it', async () => {
    const query = `{ ${'a '.repeat(1024 * 1024)}}`;
    const { auth } = await api.newTenant();
    const anonymous = await request(api.http).post('/graphql').send({ query });
    expect(anonymous.status).toBe(401);
    // Over the body limit: refused from its length before JSON parsing.
    await request(api.http).post('/graphql').set(auth).send({ query }).expect(413);
    // Under the body limit, over the query text limit: refused before GraphQL parsing.
    const keyed = await request(api.http)
      .post('/graphql')
      .set(auth)
      .send({ query: query.slice(0, 1_500_000) });
    expect(keyed.status).toBe(413);
    expect(keyed.body.errors[0].extensions).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { maxQueryChars: 16 * 1024 },
    });
    expect(JSON.stringify(keyed.body).length).toBeLessThan(2_000);
  });

  it('refuses 300 aliased mutations before any of them runs', async () => {
    const { auth } = await api.newTenant();
    const mutations = Array.from({ length: 300 }, (_, i) => `m${i}: deleteSandbox(id: $id)`);
    const variables = { id: '00000000-0000-4000-8000-000000000000' };
    const answer = await request(api.http)
      .post('/graphql')
      .set(auth)
      .send({ query: `mutation($id: ID!) { ${mutations.join(' ')} }`, variables });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(answer.body.data).toBeUndefined();
    // Fewer aliases than the alias limit, still over the cost limit: mutations are weighed.
    const eleven = mutations.slice(0, 11).join(' ');
    const costly = await request(api.http)
      .post('/graphql')
      .set(auth)
      .send({ query: `mutation($id: ID!) { ${eleven} }`, variables });
    expect(costly.body.errors[0].message).toMatch(/costs \d+; the limit is 1000/);
  });

  it('refuses batched operations', async () => {
    const { auth } = await api.newTenant();
    const answer = await request(api.http)
      .post('/graphql')
      .set(auth)
      .send([{ query: '{ sandboxes { edges { cursor } } }' }, { query: '{ __typename }' }]);
    expect(answer.status).toBe(400);
  });

  it('answers introspection to a key only', async () => {
    const { auth } = await api.newTenant();
    const query = '{ __schema { queryType { name } } }';
    await request(api.http).post('/graphql').send({ query }).expect(401);
    const keyed = await request(api.http).post('/graphql').set(auth).send({ query }).expect(200);
    expect(keyed.body.data.__schema.queryType.name).toBe('Query');
  });

  it('shares one budget between GraphQL mutations and REST', async () => {
    const limited = await startTestApi({ rateLimitPerMinute: 15 });
    try {
      const { auth } = await limited.newTenant();
      const manifests = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
      const spentAfter = Date.now();
      const created = await request(limited.http)
        .post('/graphql')
        .set(auth)
        .send({
          query:
            'mutation($input: CreateSandboxInput!) { createSandbox(input: $input) { sandbox { id } } }',
          variables: { input: { name: 'one', manifests } },
        });
      expect(created.body.errors).toBeUndefined();
      // 10 of 15 points spent: a second sandbox write (10) is refused over REST, and told exactly
      // when the bucket (refilled at 15 a minute) will hold its 10 points: in 5 / 0.25 = 20 s,
      // less what refilled between the two requests (e seconds: the wait is ceil(20 - e)).
      const refused = await request(limited.http)
        .post('/v1/sandboxes')
        .set(auth)
        .send({ name: 'two', manifests })
        .expect(429);
      const elapsedSeconds = (Date.now() - spentAfter) / 1000;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(
        Math.floor(20 - elapsedSeconds),
      );
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20);
      expect(refused.body.error.details.retryAfterSeconds).toBe(
        Number(refused.headers['retry-after']),
      );
      expect(refused.headers['retry-after-per-key']).toBeUndefined();
      // The same write over GraphQL is refused from the same bucket: an execution error, GraphQL's
      // 200 with RATE_LIMITED, and the same Retry-After.
      const overGraphql = await request(limited.http)
        .post('/graphql')
        .set(auth)
        .send({
          query:
            'mutation($input: CreateSandboxInput!) { createSandbox(input: $input) { sandbox { id } } }',
          variables: { input: { name: 'two', manifests } },
        });
      expect(overGraphql.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(overGraphql.headers['retry-after'])).toBeGreaterThanOrEqual(
        Math.floor(20 - (Date.now() - spentAfter) / 1000),
      );
      // A refused request takes nothing: the 5 points left still pay for a read.
      const read = await request(limited.http)
        .post('/graphql')
        .set(auth)
        .send({ query: '{ sandboxes { edges { cursor } } }' });
      expect(read.body.errors).toBeUndefined();
      // Probes are never counted.
      await request(limited.http).get('/healthz').set(auth).expect(200);
      await request(limited.http).get('/readyz').set(auth).expect(200);
      await request(limited.http).get('/metrics').expect(200);
    } finally {
      await limited.close();
    }
  });

  describe('graphql-ws handshake', () => {
    /** Sends connection_init and reports the close code, or `acknowledged`. */
    async function handshake(
      payload: Record<string, unknown> | undefined,
    ): Promise<number | string> {
      const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
      const outcome = new Promise<number | string>((resolve) => {
        socket.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'connection_ack') resolve('acknowledged');
        });
        socket.on('close', (code) => resolve(code));
      });
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })),
      );
      try {
        return await withTimeout(outcome, 10_000, 'the handshake');
      } finally {
        socket.close();
      }
    }

    it('refuses a missing or forged key with 4403 and acknowledges a real one', async () => {
      const { auth } = await api.newTenant();
      expect(await handshake(undefined)).toBe(4403);
      expect(await handshake({ authorization: FORGED.Authorization })).toBe(4403);
      expect(await handshake({ authorization: auth.Authorization })).toBe('acknowledged');
    });

    it('closes a socket whose message is over the body limit with 1009, a message at it is read', async () => {
      const { auth } = await api.newTenant();
      /** Opens an acknowledged socket, sends one `subscribe` of `bytes`, reports the close or reply. */
      async function sendSubscribe(bytes: number): Promise<{ closeCode?: number; reply?: string }> {
        const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
        const outcome = new Promise<{ closeCode?: number; reply?: string }>((resolve) => {
          socket.on('message', (data) => {
            const message = JSON.parse(String(data)) as { type: string };
            if (message.type === 'connection_ack') {
              const envelope = JSON.stringify({
                id: '1',
                type: 'subscribe',
                payload: { query: 'subscription { x }', variables: { pad: '' } },
              });
              const pad = 'p'.repeat(bytes - envelope.length);
              socket.send(envelope.replace('"pad":""', `"pad":"${pad}"`));
            } else resolve({ reply: message.type });
          });
          socket.on('close', (code) => resolve({ closeCode: code }));
        });
        socket.on('open', () =>
          socket.send(
            JSON.stringify({
              type: 'connection_init',
              payload: { authorization: auth.Authorization },
            }),
          ),
        );
        try {
          return await withTimeout(outcome, 10_000, 'the oversized message');
        } finally {
          socket.close();
        }
      }
      const limit = 2 * 1024 * 1024;
      expect(await sendSubscribe(limit + 1)).toEqual({ closeCode: 1009 });
      // At the limit the message is read and answered (an error: the subscription does not exist).
      expect(await sendSubscribe(limit)).toEqual({ reply: 'error' });
    });
  });
});

describeWithServices('GraphQL with public introspection', () => {
  it('answers introspection without a key when the setting allows it, and nothing else', async () => {
    const api = await startTestApi({ graphqlPublicIntrospection: true });
    try {
      const introspection = await request(api.http)
        .post('/graphql')
        .send({ query: '{ __schema { queryType { name } } }' })
        .expect(200);
      expect(introspection.body.data.__schema.queryType.name).toBe('Query');
      const data = await request(api.http)
        .post('/graphql')
        .send({ query: '{ sandboxes { edges { cursor } } }' });
      expect(data.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const tooLarge = await request(api.http)
        .post('/graphql')
        .send({ query: `{ ${'a '.repeat(40_000)}}` });
      expect(tooLarge.status).toBe(413);
    } finally {
      await api.close();
    }
  });
});
