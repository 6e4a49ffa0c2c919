import { ApiRequestError, restClient } from './client';

/** A revision listing as the API pages it: newest first, `limit` per page, opaque cursors. */
function pagedRevisions(count: number) {
  const requests: string[] = [];
  const fetchImpl = async (url: string, init?: RequestInit): Promise<Response> => {
    requests.push(url);
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer np_test');
    const query = new URL(url, 'http://x').searchParams;
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
  return { client: restClient('np_test', '', fetchImpl), requests };
}

describe('the REST client', () => {
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
    const client = restClient(
      'np_test',
      '',
      async () =>
        new Response(
          JSON.stringify({
            error: { code: 'version-conflict', message: 'stale', details: { currentVersion: 3 } },
          }),
          {
            status: 409,
          },
        ),
    );
    const error = await client.saveSandbox('s1', 1, 'kind: Pod').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 409,
      code: 'version-conflict',
      details: { currentVersion: 3 },
    });
  });
});
