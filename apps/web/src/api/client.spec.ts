import { ApiRequestError, restClient } from './client';

/** A revision listing as the API pages it: newest first, `limit` per page, opaque cursors. */
function pagedRevisions(count: number) {
  const requests: string[] = [];
  const fetchImpl = async (request: Request): Promise<Response> => {
    requests.push(request.url);
    expect(request.headers.get('authorization')).toBe('Bearer np_test');
    const query = new URL(request.url).searchParams;
    const limit = Number(query.get('limit'));
    const start = Number(query.get('cursor') ?? 0);
    const versions = Array.from({ length: count }, (_, i) => count - i).slice(start, start + limit);
    const items = versions.map((version) => ({
      version,
      clusterSettings: {},
      createdAt: '2026-01-01T00:00:00Z',
      ...(query.get('include') === 'manifests' ? { manifests: `# revision ${version}` } : {}),
    }));
    const next = start + limit < count ? { nextCursor: String(start + limit) } : {};
    return new Response(JSON.stringify({ items, ...next }), { status: 200 });
  };
  return { client: restClient('np_test', 'http://netplay.test', fetchImpl), requests };
}

describe('the REST client (over @netplay/sdk)', () => {
  it('pages through every revision without manifests', async () => {
    const { client, requests } = pagedRevisions(250);
    const all = await client.revisions('s1');
    expect(all.map((r) => r.version)).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i));
    expect(requests).toHaveLength(3);
  });

  it('reads only the pages holding the wanted revisions, with their manifests', async () => {
    const { client, requests } = pagedRevisions(100);
    const found = await client.revisionsWithManifests('s1', [99, 70]);
    expect(found.map((r) => [r.version, r.manifests])).toEqual([
      [99, '# revision 99'],
      [70, '# revision 70'],
    ]);
    expect(requests).toHaveLength(2);
    expect(await client.revisionsWithManifests('s1', [500])).toEqual([]);
  });

  it("turns the API's error body into an error with its code", async () => {
    let sent: Request | undefined;
    const client = restClient('np_test', 'http://netplay.test', async (request) => {
      sent = request;
      return new Response(
        JSON.stringify({
          error: { code: 'version-conflict', message: 'stale', details: { currentVersion: 3 } },
        }),
        { status: 409, headers: { 'content-type': 'application/json' } },
      );
    });
    const error = await client.saveSandbox('s1', 1, 'kind: Pod').catch((e: unknown) => e);
    expect(sent?.method).toBe('PATCH');
    expect(sent?.url).toBe('http://netplay.test/v1/sandboxes/s1');
    expect(sent?.headers.get('if-match')).toBe('"1"');
    expect(await sent?.json()).toEqual({ manifests: 'kind: Pod' });
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 409,
      code: 'version-conflict',
      details: { currentVersion: 3 },
    });
  });

  it("reads a view as text, and a 401 carries the API's code and message", async () => {
    const client = restClient('nls_x', 'http://netplay.test', async (request) => {
      const url = new URL(request.url);
      if (url.pathname === '/v1/sandboxes/s1/views/pods')
        return new Response(`NAME READY\n${url.searchParams.get('namespace')}`, {
          headers: { 'content-type': 'text/plain' },
        });
      return new Response(
        JSON.stringify({
          error: { code: 'unauthenticated', message: 'Your session has ended' },
        }),
        { status: 401, headers: { 'content-type': 'application/json' } },
      );
    });
    expect(await client.view('s1', 'pods', { namespace: 'default' })).toBe('NAME READY\ndefault');
    await expect(client.currentLearnerSession()).rejects.toMatchObject({
      status: 401,
      code: 'unauthenticated',
      message: 'Your session has ended',
    });
  });

  it('names an answer without the error body by its status', async () => {
    const client = restClient(
      'np_test',
      'http://netplay.test',
      async () => new Response('upstream gone', { status: 502 }),
    );
    await expect(client.getSandbox('s1')).rejects.toMatchObject({
      status: 502,
      code: 'http-error',
    });
  });
});
