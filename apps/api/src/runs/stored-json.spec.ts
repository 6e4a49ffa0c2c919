import { runJsonBody, StoredJson } from './stored-json';

describe('runJsonBody', () => {
  const view = {
    id: 'r-1',
    status: 'succeeded',
    error: null,
    steps: [{ probe: { from: 'a', to: 'b' } }],
  };
  const result = {
    issues: [],
    steps: [
      { index: 0, kind: 'probe', result: { verdict: 'delivered', note: 'quote " and \\u2028' } },
    ],
  };

  it('splices the stored text in as the result, giving what stringifying the parsed run gives', () => {
    const body = runJsonBody({ ...view, result: new StoredJson(JSON.stringify(result)) });
    expect(body).toBe(JSON.stringify({ ...view, result }));
  });

  it('writes a run without a stored result as it is', () => {
    expect(runJsonBody({ ...view, result: null })).toBe(JSON.stringify({ ...view, result: null }));
    expect(runJsonBody(view)).toBe(JSON.stringify(view));
  });

  it('parses the text once, for readers that need the value', () => {
    const stored = new StoredJson('{"steps":[]}');
    expect(stored.value).toEqual({ steps: [] });
    expect(stored.value).toBe(stored.value);
    expect(JSON.stringify({ result: stored })).toBe('{"result":{"steps":[]}}');
  });
});
