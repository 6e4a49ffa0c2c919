import { formatIssue } from '../model/issues';
import { countDocuments, estimateNestingDepth, formatBytes, utf8ByteLength } from './input-size';
import { DEFAULT_LIMITS, type ManifestFile } from './manifest-set';
import { parseYamlDocuments } from './parse-yaml';

function parse(files: ManifestFile[] | string, limits = DEFAULT_LIMITS) {
  return parseYamlDocuments(
    typeof files === 'string' ? [{ name: 'in.yaml', content: files }] : files,
    limits,
  );
}

function messages(files: ManifestFile[] | string, limits = DEFAULT_LIMITS): string[] {
  return parse(files, limits).issues.map(formatIssue);
}

describe('parseYamlDocuments', () => {
  it('numbers non-empty documents 1-based across files, skipping empty ones, keeping the file name', () => {
    const result = parse([
      { name: 'a.yaml', content: '---\n# only a comment\n---\nkind: A\n---\n---\nkind: B\n' },
      { name: 'b.yaml', content: 'kind: C\n' },
      { content: '{"kind": "D"}' },
    ]);
    expect(result.issues).toEqual([]);
    expect(result.docs).toEqual([
      { doc: 1, file: 'a.yaml', value: { kind: 'A' } },
      { doc: 2, file: 'a.yaml', value: { kind: 'B' } },
      { doc: 3, file: 'b.yaml', value: { kind: 'C' } },
      { doc: 4, value: { kind: 'D' } },
    ]);
  });

  it('flattens a v1 List into its items, which keep the List document number', () => {
    const result = parse(
      'kind: X\n---\napiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n---\nkind: Y\n',
    );
    expect(result.docs.map((d) => [d.doc, (d.value as { kind: string }).kind])).toEqual([
      [1, 'X'],
      [2, 'A'],
      [2, 'B'],
      [3, 'Y'],
    ]);
  });

  it('numbers the items of a List from 1, so issues can name them', () => {
    const result = parse('apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n');
    expect(result.docs.map((d) => [d.doc, d.item])).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it('expands typed lists, filling in the apiVersion and kind their items leave out', () => {
    const result = parse(
      [
        'apiVersion: v1',
        'kind: PodList',
        'items:',
        '- metadata: {name: a}',
        '- {apiVersion: v1, kind: Pod, metadata: {name: b}}',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicyList',
        'items: [{metadata: {name: deny}}]',
      ].join('\n'),
    );
    expect(result.docs.map((d) => [d.doc, d.item, d.value])).toEqual([
      [1, 1, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }],
      [1, 2, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } }],
      [
        2,
        1,
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' } },
      ],
    ]);
  });

  it('leaves a kind ending in List without items alone', () => {
    expect(parse('kind: PodList\nfoo: 1\n').docs).toEqual([
      { doc: 1, file: 'in.yaml', value: { kind: 'PodList', foo: 1 } },
    ]);
  });

  it('reads YAML 1.2 core scalars: yes stays a string, 0o17 is octal, 017 is decimal', () => {
    expect(parse('a: yes\nb: 0o17\nc: 017\nd: ~\n').docs[0].value).toEqual({
      a: 'yes',
      b: 15,
      c: 17,
      d: null,
    });
  });

  it.each([
    [
      'a syntax error, with line and column',
      'kind: Service\nmetadata:\n  name: [a, b\nspec: {}\n',
      /^in\.yaml doc 1: .* at line \d+, column \d+$/,
    ],
    [
      'a duplicate key',
      'a: 1\na: 2\n',
      /^in\.yaml doc 1: Map keys must be unique \("a" is repeated\) at line 2, column 1$/,
    ],
    [
      'a __proto__ key',
      'metadata:\n  __proto__: {x: 1}\n',
      /^in\.yaml doc 1: key "__proto__" is not allowed$/,
    ],
    ['a constructor key', 'constructor: 1\n', /^in\.yaml doc 1: key "constructor" is not allowed$/],
    [
      'a merge key under %YAML 1.1 (merge keys stay off)',
      '%YAML 1.1\n---\nbase: &b {x: 1}\nobj:\n  <<: *b\n',
      /merge keys \("<<"\) are not supported/,
    ],
  ])('refuses %s', (_name, content, expected) => {
    const found = messages(content);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('does not merge `<<` under %YAML 1.1: the key would otherwise silently copy fields', () => {
    const result = parse('%YAML 1.1\n---\nbase: &b {x: 1}\nobj:\n  <<: *b\n');
    expect(result.docs).toEqual([]);
    expect(result.issues[0].code).toBe('INVALID_FIELD');
  });

  it('refuses input over maxBytes before parsing, counting UTF-8 bytes', () => {
    const content = 'a'.repeat(DEFAULT_LIMITS.maxBytes + 1);
    expect(messages([{ content }])).toEqual(['input is 2 MiB; the limit is 2 MiB']);
    expect(parse([{ content }]).issues[0].code).toBe('INPUT_TOO_LARGE');
    expect(parse([{ content: 'a'.repeat(DEFAULT_LIMITS.maxBytes) }]).issues).toEqual([]);
    const multiByte = 'é'.repeat(DEFAULT_LIMITS.maxBytes / 2 + 1);
    expect(parse([{ content: multiByte }]).issues[0].code).toBe('INPUT_TOO_LARGE');
  });

  it('refuses 20,001 objects before parsing them (the test timeout guards against a hang)', () => {
    const content = Array.from(
      { length: 20_001 },
      (_, i) => `kind: ConfigMap\nmetadata: {name: c${i}}`,
    ).join('\n---\n');
    const result = parse([{ content }]);
    expect(result.issues.map(formatIssue)).toEqual(['input has 20001 objects; the limit is 20000']);
    expect(result.docs).toEqual([]);
  });

  it('counts List items against maxObjects', () => {
    const items = Array.from(
      { length: 6 },
      (_, i) => `- {kind: ConfigMap, metadata: {name: c${i}}}`,
    ).join('\n');
    const result = parse(`apiVersion: v1\nkind: List\nitems:\n${items}\n`, {
      ...DEFAULT_LIMITS,
      maxObjects: 5,
    });
    expect(result.issues.map((i) => i.code)).toEqual(['TOO_MANY_OBJECTS']);
    expect(result.docs).toEqual([]);
  });

  it('refuses a billion-laughs document without expanding it (the test timeout guards against a hang)', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const result = parse(levels.join('\n') + '\n');
    expect(result.issues.map((i) => i.code)).toEqual(['YAML_ALIAS_LIMIT']);
    expect(result.docs).toEqual([]);
  });

  it.each([
    ['flow sequences 100k deep', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['flow mappings 100k deep', '{a: '.repeat(100_000) + '1' + '}'.repeat(100_000)],
    [
      'block mappings 10k deep',
      Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n',
    ],
    ['block sequences 100k deep on one line', '- '.repeat(100_000) + 'x\n'],
  ])('refuses %s without overflowing the stack', (_name, content) => {
    const result = parse([{ content }], { ...DEFAULT_LIMITS, maxBytes: 200 * 1024 * 1024 });
    expect(result.issues.map((i) => i.code)).toEqual(['NESTING_TOO_DEEP']);
  });

  it('refuses nesting just over maxDepth that the pre-scan lets through, with the exact walk', () => {
    const depth = DEFAULT_LIMITS.maxDepth + 1;
    const result = parse('['.repeat(depth) + ']'.repeat(depth));
    expect(result.issues.map(formatIssue)).toEqual([
      'in.yaml doc 1: nesting is deeper than 64 levels',
    ]);
    const ok = DEFAULT_LIMITS.maxDepth;
    expect(parse('['.repeat(ok) + ']'.repeat(ok)).issues).toEqual([]);
  });

  it('keeps parsing later files after a broken one', () => {
    const result = parse([
      { name: 'bad.yaml', content: 'a: [\n' },
      { name: 'good.yaml', content: 'kind: A\n' },
    ]);
    expect(result.issues.map((i) => [i.file, i.code])).toEqual([['bad.yaml', 'YAML_SYNTAX']]);
    expect(result.docs).toEqual([{ doc: 2, file: 'good.yaml', value: { kind: 'A' } }]);
  });
});

describe('input-size helpers', () => {
  it.each([
    ['ascii', 'abc', 3],
    ['two-byte', 'é', 2],
    ['three-byte', '€', 3],
    ['surrogate pair', '😀', 4],
  ])('utf8ByteLength of %s', (_name, text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });

  it.each([
    [900, '900 bytes'],
    [2048, '2 KiB'],
    [3.1 * 1024 * 1024, '3.1 MiB'],
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    ['', 0],
    ['a: 1', 1],
    ['---\n---\n# c\n---\na: 1\n...\n', 1],
    ['a: 1\n---\nb: 2\n--- c\n', 3],
    ['%YAML 1.2\n---\na: 1\n', 1],
  ])('countDocuments(%j) = %d', (text, count) => {
    expect(countDocuments(text)).toBe(count);
  });

  it('estimates nesting from brackets and indentation but not inside quotes or comments', () => {
    expect(estimateNestingDepth('a:\n  b:\n    c: [1, {d: 2}]\n')).toBe(5);
    expect(estimateNestingDepth('a: "[[[[["\nb: 1 # {{{{\n')).toBe(1);
    expect(estimateNestingDepth('a: x[[[[\n---\nb: 1\n')).toBe(5);
    expect(estimateNestingDepth(Array(100).fill('a: x[').join('\n---\n'))).toBe(2);
  });
});
