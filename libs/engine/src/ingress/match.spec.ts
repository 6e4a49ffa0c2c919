import { bestPath, ingressHostMatches, type PathCandidate } from './match';

/** website ingress.md "Examples" (semantics.md §5.1): every row. */
const PATH_TABLE: [string, PathCandidate[], string, string | null][] = [
  ['Prefix / matches everything', [{ pathType: 'Prefix', path: '/' }], '/anything/at/all', '/'],
  ['Exact /foo matches /foo', [{ pathType: 'Exact', path: '/foo' }], '/foo', '/foo'],
  ['Exact /foo does not match /bar', [{ pathType: 'Exact', path: '/foo' }], '/bar', null],
  ['Exact /foo does not match /foo/', [{ pathType: 'Exact', path: '/foo' }], '/foo/', null],
  ['Exact /foo/ does not match /foo', [{ pathType: 'Exact', path: '/foo/' }], '/foo', null],
  ['Prefix /foo matches /foo', [{ pathType: 'Prefix', path: '/foo' }], '/foo', '/foo'],
  ['Prefix /foo matches /foo/', [{ pathType: 'Prefix', path: '/foo' }], '/foo/', '/foo'],
  ['Prefix /foo/ matches /foo', [{ pathType: 'Prefix', path: '/foo/' }], '/foo', '/foo/'],
  ['Prefix /foo/ matches /foo/', [{ pathType: 'Prefix', path: '/foo/' }], '/foo/', '/foo/'],
  [
    'Prefix /aaa/bb does not match /aaa/bbb',
    [{ pathType: 'Prefix', path: '/aaa/bb' }],
    '/aaa/bbb',
    null,
  ],
  [
    'Prefix /aaa/bbb matches /aaa/bbb',
    [{ pathType: 'Prefix', path: '/aaa/bbb' }],
    '/aaa/bbb',
    '/aaa/bbb',
  ],
  [
    'Prefix /aaa/bbb/ ignores the trailing slash',
    [{ pathType: 'Prefix', path: '/aaa/bbb/' }],
    '/aaa/bbb',
    '/aaa/bbb/',
  ],
  [
    'Prefix /aaa/bbb matches the trailing slash',
    [{ pathType: 'Prefix', path: '/aaa/bbb' }],
    '/aaa/bbb/',
    '/aaa/bbb',
  ],
  [
    'Prefix /aaa/bbb matches a subpath',
    [{ pathType: 'Prefix', path: '/aaa/bbb' }],
    '/aaa/bbb/ccc',
    '/aaa/bbb',
  ],
  [
    'Prefix /aaa/bbb is not a string prefix',
    [{ pathType: 'Prefix', path: '/aaa/bbb' }],
    '/aaa/bbbxyz',
    null,
  ],
  [
    'Prefix /, /aaa: /aaa/ccc matches /aaa',
    [
      { pathType: 'Prefix', path: '/' },
      { pathType: 'Prefix', path: '/aaa' },
    ],
    '/aaa/ccc',
    '/aaa',
  ],
  [
    'Prefix /, /aaa, /aaa/bbb: /aaa/bbb matches /aaa/bbb',
    [
      { pathType: 'Prefix', path: '/' },
      { pathType: 'Prefix', path: '/aaa' },
      { pathType: 'Prefix', path: '/aaa/bbb' },
    ],
    '/aaa/bbb',
    '/aaa/bbb',
  ],
  [
    'Prefix /, /aaa, /aaa/bbb: /ccc matches /',
    [
      { pathType: 'Prefix', path: '/' },
      { pathType: 'Prefix', path: '/aaa' },
      { pathType: 'Prefix', path: '/aaa/bbb' },
    ],
    '/ccc',
    '/',
  ],
  [
    'Prefix /aaa: /ccc falls to the default backend',
    [{ pathType: 'Prefix', path: '/aaa' }],
    '/ccc',
    null,
  ],
  [
    'Mixed /foo Prefix and Exact: /foo prefers Exact',
    [
      { pathType: 'Prefix', path: '/foo' },
      { pathType: 'Exact', path: '/foo' },
    ],
    '/foo',
    'Exact /foo',
  ],
  [
    'the query string is not part of the path',
    [{ pathType: 'Exact', path: '/foo' }],
    '/foo?x=1',
    '/foo',
  ],
  ['matching is case-sensitive', [{ pathType: 'Prefix', path: '/foo' }], '/FOO', null],
];

describe('Ingress path matching (website ingress.md examples)', () => {
  it.each(PATH_TABLE)('%s', (_name, paths, request, expected) => {
    const best = bestPath(paths, request);
    if (expected === null) expect(best).toBeUndefined();
    else if (expected.startsWith('Exact '))
      expect(best).toEqual({ pathType: 'Exact', path: expected.slice(6) });
    else expect(best?.path).toBe(expected);
  });

  it.each([
    ['string-prefix', '/foobar', true],
    ['prefix', '/foobar', false],
    ['exact', '/foo/', false],
  ] as const)('ImplementationSpecific /foo in %s mode against %s: %s', (mode, request, matches) => {
    expect(!!bestPath([{ pathType: 'ImplementationSpecific', path: '/foo' }], request, mode)).toBe(
      matches,
    );
  });
});

describe('Ingress host matching (types.go IngressRule.Host)', () => {
  it.each([
    ['foo.bar.com', 'foo.bar.com', true],
    ['foo.bar.com', 'FOO.bar.com', true],
    ['foo.bar.com', 'bar.com', false],
    ['*.foo.com', 'bar.foo.com', true],
    ['*.foo.com', 'baz.bar.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    [undefined, 'anything.example', true],
  ])('rule host %s vs request %s → %s', (rule, host, expected) => {
    expect(ingressHostMatches(rule, host)).toBe(expected);
  });
});
