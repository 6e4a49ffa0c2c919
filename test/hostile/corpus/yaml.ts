// YAML that costs a naive parser time, memory or integrity, sent as a sandbox's manifests. Each is
// refused by the engine's parser with an issue the answer names (422 `invalid-manifests`), or,
// where the input is merely large but valid, handled within its bound.
import { sandboxWrite, type HostileCase } from './hostile-case';

const DEPLOYMENT_HEAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
`;

/** The "billion laughs": 9 levels of 9 aliases to the level below, 9^9 strings if expanded. */
function aliasBomb(): string {
  let yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  l0: &l0 "lol"\n';
  for (let level = 1; level <= 9; level += 1) {
    const below = Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ');
    yaml += `  l${level}: &l${level} [${below}]\n`;
  }
  return yaml;
}

/** A flow sequence nested `depth` levels deep inside a ConfigMap. */
function deepFlow(depth: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/** A block mapping nested `depth` levels deep (two spaces a level). */
function deepBlock(depth: number): string {
  let yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n  annotations:\n';
  for (let level = 0; level < depth; level += 1) yaml += `${'  '.repeat(level + 2)}k${level}:\n`;
  return `${yaml}${'  '.repeat(depth + 2)}v\n`;
}

/** One mapping of `keys` distinct keys: the duplicate-key check must be linear in them. */
function flatMapping(keys: number): string {
  let yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flat}\ndata:\n';
  for (let key = 0; key < keys; key += 1) yaml += `  key-${key}: v\n`;
  return yaml;
}

const HUGE_SCALAR_BYTES = 1_900_000;

export const YAML_CASES: HostileCase[] = [
  {
    family: 'yaml',
    name: 'an alias bomb (9 levels of 9 aliases)',
    request: () => sandboxWrite('alias-bomb', aliasBomb()),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'YAML_ALIAS_LIMIT' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'a flow sequence nested 10,000 levels deep',
    request: () => sandboxWrite('deep-flow', deepFlow(10_000)),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'NESTING_TOO_DEEP' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'a block mapping nested 1,000 levels deep',
    request: () => sandboxWrite('deep-block', deepBlock(1_000)),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'NESTING_TOO_DEEP' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: `a ${HUGE_SCALAR_BYTES.toLocaleString('en')}-byte scalar as an object name`,
    request: () =>
      sandboxWrite(
        'huge-name',
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'a'.repeat(HUGE_SCALAR_BYTES)}\n`,
      ),
    expect: { status: 422, code: 'invalid-manifests' },
    withinMs: 5_000,
  },
  {
    family: 'yaml',
    // At the key limit: parsed and stored (the `yaml` parser costs about 10 µs a key).
    name: 'a flat mapping of 10,000 keys (110 KiB), accepted',
    request: () => sandboxWrite('flat-10k', flatMapping(10_000)),
    expect: { status: 201, code: '' },
    withinMs: 3_000,
  },
  {
    family: 'yaml',
    // Refused while parsing, at the 10,001st key, before the rest is read or composed.
    name: 'a flat mapping of 40,000 keys (457 KiB), over the keys of one mapping',
    request: () => sandboxWrite('flat-40k', flatMapping(40_000)),
    expect: { status: 422, code: 'engine-limit-exceeded', issueCode: 'LIMIT_EXCEEDED' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    // Under the 2 MiB body: costs no more than the 40,000 keys, the rest is never parsed.
    name: 'a flat mapping of 100,000 keys (1.5 MiB), over the keys of one mapping',
    request: () => sandboxWrite('flat-100k', flatMapping(100_000)),
    expect: { status: 422, code: 'engine-limit-exceeded', issueCode: 'LIMIT_EXCEEDED' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    // Written as YAML and validated in the engine pool, not on the API's thread (19,000 of them,
    // 1.5 MiB, took half a second to write out, which the victim's p99 showed, then 3–9 s in a
    // low-priority engine thread on the loaded 2-core machine: too near the 10 s budget to bound).
    name: 'manifests as a JSON array of 5,000 ConfigMaps (0.4 MiB), accepted',
    request: () =>
      sandboxWrite(
        'many-objects',
        Array.from({ length: 5_000 }, (_, i) => ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `c${i}` },
          data: { a: 'b' },
        })),
      ),
    expect: { status: 201, code: '' },
    withinMs: 8_000,
  },
  {
    family: 'yaml',
    // Counted before anything is parsed: 220 KB of one-line documents.
    name: '20,001 documents, over the objects limit',
    request: () => sandboxWrite('many-docs', '--- {a: 1}\n'.repeat(20_001)),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'TOO_MANY_OBJECTS' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    // A YAML 1.1 directive does not bring merge keys back: the parser stays at 1.2 and `<<` is
    // refused as a key rather than silently merged or kept.
    name: 'a `%YAML 1.1` document with a `<<` merge key',
    request: () =>
      sandboxWrite(
        'merge',
        '%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: merge}\ndata:\n  base: &base {a: "1"}\n  merged:\n    <<: *base\n    b: "2"\n',
      ),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'INVALID_FIELD' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'a duplicate key',
    request: () => sandboxWrite('duplicate', `${DEPLOYMENT_HEAD}  replicas: 2\n  replicas: 3\n`),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'YAML_SYNTAX' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'a `__proto__` key',
    request: () =>
      sandboxWrite(
        'proto',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proto\n  labels:\n    __proto__: {polluted: "yes"}\n',
      ),
    expect: { status: 422, code: 'invalid-manifests' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'a `constructor` key with a `prototype` inside',
    request: () =>
      sandboxWrite(
        'constructor',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ctor}\ndata:\n  constructor: {prototype: {polluted: "yes"}}\n',
      ),
    expect: { status: 422, code: 'invalid-manifests' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    // Tags outside YAML's core schema are refused rather than kept as the plain strings they would
    // silently become; nothing is executed or read from a file either way.
    name: 'custom tags (`!!js/function`, `!include`)',
    request: () =>
      sandboxWrite(
        'tags',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tags}\ndata:\n  f: !!js/function "function () { return 1 }"\n  g: !include /etc/passwd\n',
      ),
    expect: { status: 422, code: 'invalid-manifests', issueCode: 'INVALID_FIELD' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'non-UTF-8 bytes in a raw YAML body',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes?name=latin1',
      contentType: 'application/yaml',
      body: Uint8Array.from([
        ...Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bytes}\ndata:\n  x: "'),
        0xff,
        0xfe,
        0xc0,
        0x80,
        ...Buffer.from('"\n'),
      ]),
    }),
    expect: { status: 400, code: 'bad-request' },
    withinMs: 2_000,
  },
  {
    family: 'yaml',
    name: 'non-UTF-8 bytes in a JSON body',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes',
      contentType: 'application/json',
      body: Uint8Array.from([
        ...Buffer.from('{"name": "caf'),
        0xe9,
        ...Buffer.from('", "manifests": "x"}'),
      ]),
    }),
    expect: { status: 400, code: 'bad-request' },
    withinMs: 2_000,
  },
];
