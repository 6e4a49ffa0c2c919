import { startTestReceiver, type TestReceiver } from '@netplay/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendGuardedRequest } from './guarded-http';
import type { SsrfPolicy } from './ssrf-guard';

const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };
const STRICT: SsrfPolicy = { allowedHosts: [] };

const post = (
  url: string,
  policy: SsrfPolicy,
  extra: Partial<Parameters<typeof sendGuardedRequest>[0]> = {},
) =>
  sendGuardedRequest({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
    policy,
    ...extra,
  });

describe('sendGuardedRequest', () => {
  const receivers: TestReceiver[] = [];
  const receiver = async (...args: Parameters<typeof startTestReceiver>) => {
    const started = await startTestReceiver(...args);
    receivers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it.each([
    [200, undefined],
    [204, undefined],
    [400, 'http_4xx'],
    [410, 'http_4xx'],
    [500, 'http_5xx'],
    [503, 'http_5xx'],
  ])('classifies a %s answer as %s', async (status, errorClass) => {
    const target = await receiver([{ status }]);
    const response = await post(target.url, LOOPBACK_ALLOWED);
    expect(response.statusCode).toBe(status);
    expect(response.errorClass).toBe(errorClass);
    expect(target.requests[0].body).toBe('{"a":1}');
  });

  it('counts a redirect as a failure and never follows it, even to an allowed address', async () => {
    const canary = await receiver([{ status: 200 }]);
    const redirecting = await receiver([{ status: 302, headers: { location: canary.url } }]);
    const response = await post(redirecting.url, LOOPBACK_ALLOWED);
    expect(response).toMatchObject({ statusCode: 302, errorClass: 'http_3xx' });
    expect(canary.requests).toHaveLength(0);
  });

  it('does not follow a redirect to the metadata address', async () => {
    const redirecting = await receiver([
      { status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/' } },
    ]);
    expect(await post(redirecting.url, LOOPBACK_ALLOWED)).toMatchObject({
      statusCode: 307,
      errorClass: 'http_3xx',
    });
  });

  it('refuses 127.0.0.1 when it is not allowlisted, without sending anything', async () => {
    const target = await receiver([{ status: 200 }]);
    expect(await post(target.url, STRICT)).toMatchObject({ errorClass: 'ssrf_blocked' });
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a loopback address outside the allowlisted CIDR', async () => {
    const other = await receiver([{ status: 200 }], '127.0.0.2');
    expect(await post(other.url, LOOPBACK_ALLOWED)).toMatchObject({ errorClass: 'ssrf_blocked' });
    expect(other.requests).toHaveLength(0);
  });

  it('refuses localhost, which resolves to loopback', async () => {
    const target = await receiver([{ status: 200 }]);
    expect(await post(`http://localhost:${target.port}/hooks`, STRICT)).toMatchObject({
      errorClass: 'ssrf_blocked',
    });
    expect(target.requests).toHaveLength(0);
  });

  it.each(['127.0.0.1', '169.254.169.254'])(
    'refuses a host name whose DNS answer is %s',
    async (address) => {
      const target = await receiver([{ status: 200 }]);
      const policy: SsrfPolicy = {
        allowedHosts: [],
        resolve: async () => [{ address, family: 4 }],
      };
      const response = await post(`http://hooks.attacker.test:${target.port}/hooks`, policy);
      expect(response.errorClass).toBe('ssrf_blocked');
      expect(response.message).toContain(address);
      expect(target.requests).toHaveLength(0);
    },
  );

  it('connects to the address it validated (a name resolving to an allowlisted address works)', async () => {
    const target = await receiver([{ status: 200, body: 'ok' }]);
    const policy: SsrfPolicy = {
      allowedHosts: ['127.0.0.1/32'],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    };
    expect(await post(`http://receiver.test:${target.port}/hooks`, policy)).toMatchObject({
      statusCode: 200,
      bodyExcerpt: 'ok',
    });
    expect(target.requests[0].headers.host).toBe(`receiver.test:${target.port}`);
  });

  it('reads at most 1 KiB of the body', async () => {
    const target = await receiver([{ status: 500, body: 'x'.repeat(1024 * 1024) }]);
    const response = await post(target.url, LOOPBACK_ALLOWED);
    expect(response.errorClass).toBe('http_5xx');
    expect(Buffer.byteLength(response.bodyExcerpt)).toBe(1024);
  });

  it('never splits a multi-byte character at the cap', async () => {
    const target = await receiver([{ status: 200, body: 'é'.repeat(2000) }]);
    const response = await post(target.url, LOOPBACK_ALLOWED);
    expect(response.bodyExcerpt).toBe('é'.repeat(512));
  });

  it('reports a closed port as connection_refused', async () => {
    const target = await receiver([{ status: 200 }]);
    await target.close();
    receivers.splice(receivers.indexOf(target), 1);
    expect(await post(target.url, LOOPBACK_ALLOWED)).toMatchObject({
      errorClass: 'connection_refused',
    });
  });

  it('gives up on a receiver that never answers', async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as AddressInfo;
      expect(
        await post(`http://127.0.0.1:${port}/`, LOOPBACK_ALLOWED, { responseTimeoutMs: 100 }),
      ).toMatchObject({ errorClass: 'timeout' });
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('reports a name that does not resolve as dns', async () => {
    const policy: SsrfPolicy = {
      allowedHosts: [],
      resolve: async () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
    };
    expect(await post('http://nowhere.invalid/', policy)).toMatchObject({ errorClass: 'dns' });
  });
});
