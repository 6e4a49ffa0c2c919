import { DEFAULT_LIMITS } from './manifest-set';
import { parseYamlDocuments } from './parse-yaml';

const parse = (content: string, limits = DEFAULT_LIMITS) =>
  parseYamlDocuments([{ name: 'in.yaml', content }], limits);

function flatMapping(keys: number, extra = ''): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: big}', 'data:'];
  for (let i = 0; i < keys; i++) lines.push(`  key${i}: v`);
  return `${lines.join('\n')}\n${extra}`;
}

/** CPU time of this process, so a busy machine does not make the bound flaky. */
function cpuMs<T>(run: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** An operator may raise the key limit: the checks must stay linear in the keys then too. */
const RAISED = { ...DEFAULT_LIMITS, maxMappingKeys: 50_000 };

describe('the YAML tree check', () => {
  it('checks a flat mapping of 40,000 keys (over 450 KiB, under raised limits) in linear time', () => {
    const content = flatMapping(40_000);
    expect(content.length).toBeGreaterThan(450 * 1024);
    const { value, ms } = cpuMs(() => parse(content, RAISED));
    expect(value.issues).toEqual([]);
    expect(Object.keys((value.docs[0].value as { data: object }).data)).toHaveLength(40_000);
    expect(ms).toBeLessThan(3_000);
  });

  it('refuses a duplicate key at the end of 40,000 keys, naming the key and its line', () => {
    const { value, ms } = cpuMs(() => parse(flatMapping(40_000, '  key7: again\n'), RAISED));
    expect(value.issues).toEqual([
      expect.objectContaining({
        code: 'YAML_SYNTAX',
        doc: 1,
        message: 'Map keys must be unique ("key7" is repeated) at line 40005, column 3',
      }),
    ]);
    expect(ms).toBeLessThan(3_000);
  });

  it('treats 1 and "1" as one key, as the object they become would', () => {
    expect(parse('a:\n  1: x\n  "1": y\n').issues[0].message).toMatch(
      /Map keys must be unique \("1" is repeated\)/,
    );
  });

  it.each([
    ['a local tag', 'a: !foo x', '!foo'],
    [
      'a language tag',
      'a: !!python/object:os.system x',
      'tag:yaml.org,2002:python/object:os.system',
    ],
    ['binary', 'a: !!binary aGk=', 'tag:yaml.org,2002:binary'],
    ['a set', 'a: !!set {x}', 'tag:yaml.org,2002:set'],
    ['an ordered map', 'a: !!omap [{x: 1}]', 'tag:yaml.org,2002:omap'],
  ])('refuses %s', (_, content, tag) => {
    expect(parse(content).issues).toEqual([
      expect.objectContaining({
        code: 'INVALID_FIELD',
        message: `tag "${tag}" is not supported (only the YAML 1.2 core schema's tags are) at line 1, column ${content.indexOf(' ', 3) + 2}`,
      }),
    ]);
  });

  it('keeps the core schema tags', () => {
    const parsed = parse('a: !!str 1\nb: !!int "2"\n');
    expect(parsed.issues).toEqual([]);
    expect(parsed.docs[0].value).toEqual({ a: '1', b: 2 });
  });

  it('refuses a collection as a mapping key', () => {
    expect(parse('? [a, b]\n: 1\n').issues[0]).toEqual(
      expect.objectContaining({
        message: 'mapping keys must be strings, numbers or booleans at line 1, column 3',
      }),
    );
  });

  it('refuses a block mapping over the key limit while parsing, before the rest of the text', () => {
    // The syntax error after the mapping is never reached: the parser stopped at the mapping.
    const content = flatMapping(20, 'broken: [\n');
    const issues = parse(content, { ...DEFAULT_LIMITS, maxMappingKeys: 10 }).issues;
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: 'a mapping has more keys than the limit of 10 at line 5, column 3',
      }),
    ]);
  });

  it.each([
    ['a block mapping one key over', flatMapping(11), 11, 'line 5, column 3'],
    [
      'a flow mapping',
      `a: {${Array.from({ length: 20 }, (_, i) => `k${i}: v`).join(', ')}}\n`,
      20,
      'line 1, column 4',
    ],
  ])('refuses %s after parsing, counting its keys', (_, content, keys, where) => {
    expect(parse(content, { ...DEFAULT_LIMITS, maxMappingKeys: 10 }).issues).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: `a mapping of ${keys} keys has more than the limit of 10 at ${where}`,
      }),
    ]);
  });

  it('accepts a mapping of exactly the key limit, comment lines included', () => {
    const content = flatMapping(10).replace('  key3: v\n', '  # a comment\n  key3: v\n');
    expect(parse(content, { ...DEFAULT_LIMITS, maxMappingKeys: 10 }).issues).toEqual([]);
  });

  it('refuses a scalar longer than the limit', () => {
    const content = `a: ${'x'.repeat(101)}\n`;
    const issues = parse(content, { ...DEFAULT_LIMITS, maxScalarLength: 100 }).issues;
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: 'a scalar of 101 characters is longer than the limit of 100 at line 1, column 4',
      }),
    ]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key and leaves Object.prototype alone',
    (key) => {
      const parsed = parse(`metadata:\n  ${key}: {polluted: yes}\n`);
      expect(parsed.issues).toEqual([
        expect.objectContaining({ code: 'INVALID_FIELD', message: `key "${key}" is not allowed` }),
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});
