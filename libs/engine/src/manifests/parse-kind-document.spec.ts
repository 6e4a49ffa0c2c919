import { parseKindDocument, type KindDocumentProblemCode } from './parse-kind-document';

const SHAPE = { apiVersion: 'netplay.dev/v1alpha1', kind: 'Scenario', described: 'a scenario' };

function read(yaml: string) {
  const problems: { path: string; message: string; code: KindDocumentProblemCode }[] = [];
  const doc = parseKindDocument(yaml, SHAPE, (path, message, code) =>
    problems.push({ path, message, code }),
  );
  return { doc, problems };
}

/** A scenario whose `spec.junk` is one mapping of `keys` keys, then `extra` lines. */
function wideScenario(keys: number, extra = ''): string {
  const lines = ['apiVersion: netplay.dev/v1alpha1', 'kind: Scenario', 'spec:', '  junk:'];
  for (let i = 0; i < keys; i++) lines.push(`    key${i}: v`);
  return `${lines.join('\n')}\n${extra}`;
}

describe('parseKindDocument', () => {
  it('reads a mapping of 10,000 keys, the most one mapping may hold', () => {
    const { doc, problems } = read(wideScenario(10_000));
    expect(problems).toEqual([]);
    expect(Object.keys((doc?.spec as { junk: object }).junk)).toHaveLength(10_000);
  });

  it('reports a duplicate among 10,000 keys at its line', () => {
    const { doc, problems } = read(wideScenario(9_999, '    key123: again\n'));
    expect(doc).toBeNull();
    expect(problems).toEqual([
      {
        path: '',
        code: 'YAML_SYNTAX',
        message:
          'not valid YAML: Map keys must be unique ("key123" is repeated) at line 10004, column 5',
      },
    ]);
  });

  it('refuses a mapping over the key limit as a limit', () => {
    const { doc, problems } = read(wideScenario(10_002));
    expect(doc).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: expect.stringContaining('more keys than the limit of 10000 at line 5, column 5'),
      }),
    ]);
  });

  it.each([
    [
      'an alias bomb',
      'a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [' +
        Array(100).fill('*b').join(', ') +
        ']\n',
      'LIMIT_EXCEEDED',
    ],
    ['a custom tag', 'a: !!js/function "f"\n', 'INVALID_FIELD'],
    ['a __proto__ key', 'a:\n  __proto__: {polluted: yes}\n', 'INVALID_FIELD'],
    ['two documents', 'a: 1\n---\nb: 2\n', 'YAML_SYNTAX'],
  ])('refuses %s', (_, yaml, code) => {
    const { doc, problems } = read(yaml);
    expect(doc).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ path: '', code })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads the document and reports a wrong kind, going on', () => {
    const { doc, problems } = read('apiVersion: netplay.dev/v1alpha1\nkind: Exercise\nspec: {}\n');
    expect(doc).toEqual({ apiVersion: 'netplay.dev/v1alpha1', kind: 'Exercise', spec: {} });
    expect(problems).toEqual([
      { path: 'kind', message: 'must be Scenario', code: 'INVALID_FIELD' },
    ]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(read('- a\n- b\n').problems).toEqual([
      { path: '', message: 'a scenario must be a YAML mapping', code: 'NOT_AN_OBJECT' },
    ]);
  });
});
