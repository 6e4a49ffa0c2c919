import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { hasBit } from './bitset';
import { connectivityMatrix } from './connectivity-matrix';
import { cutAddressSpace } from './external-pieces';
import { groupMatrix } from './group-matrix';
import type { Matrix, MatrixOptions } from './matrix-types';
import { policyDiff } from './policy-diff';
import { policyReach, reachCounts } from './policy-reach';
import { readPolicies } from '../policy/read-policies';
import {
  matrixJson,
  renderGroupedTable,
  renderMatrixCsv,
  renderMatrixMarkdown,
  renderMatrixTable,
} from './render-matrix';
import { e2eModelYaml } from './spec-fixtures';

const TCP80: MatrixOptions = { protocol: 'TCP', port: 80 };

function policy(namespace: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec:\n${spec.replace(/^/gm, '  ')}`;
}

/** The denied ordered pairs among the e2e model's pods (x/a → y/b as `xa>yb`), self pairs left out. */
function denied(matrix: Matrix): string[] {
  const short = (id: string) => id.replace('/', '');
  const out: string[] = [];
  matrix.peers.forEach((src, i) =>
    matrix.peers.forEach((dst, j) => {
      if (
        src.namespace !== 'kube-system' &&
        dst.namespace !== 'kube-system' &&
        i !== j &&
        !hasBit(matrix.rows[i], j)
      )
        out.push(`${short(src.id)}>${short(dst.id)}`);
    }),
  );
  return out;
}

const ALL_INTO_X = ['ya>xa', 'ya>xb', 'ya>xc', 'yb>xa'];

describe('connectivityMatrix on the e2e model (test/e2e/network/netpol)', () => {
  const cases: {
    name: string;
    policies: string[];
    options?: Partial<MatrixOptions>;
    expected: (d: string[]) => void;
  }[] = [
    {
      name: 'no policy: everything reaches everything',
      policies: [],
      expected: (d) => expect(d).toEqual([]),
    },
    {
      name: 'default-deny ingress in x: nothing from outside x and nothing inside x reaches x pods',
      policies: [policy('x', 'deny', 'podSelector: {}\npolicyTypes: [Ingress]')],
      expected: (d) => {
        expect(d).toEqual(expect.arrayContaining([...ALL_INTO_X, 'xa>xb', 'za>xc']));
        expect(d.every((pair) => pair.split('>')[1].startsWith('x'))).toBe(true);
      },
    },
    {
      name: 'ports: pod=a accepts only ns=y on TCP 81, so port 80 is closed to everyone',
      policies: [
        policy(
          'x',
          'p',
          'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: 81 }] }]',
        ),
      ],
      expected: (d) =>
        expect(d.filter((p) => p.endsWith('>xa')).sort()).toEqual([
          'xb>xa',
          'xc>xa',
          'ya>xa',
          'yb>xa',
          'yc>xa',
          'za>xa',
          'zb>xa',
          'zc>xa',
        ]),
    },
    {
      name: 'ports: the same policy on TCP 81 lets ns y in',
      policies: [
        policy(
          'x',
          'p',
          'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: 81 }] }]',
        ),
      ],
      options: { port: 81 },
      expected: (d) => expect(d.sort()).toEqual(['xb>xa', 'xc>xa', 'za>xa', 'zb>xa', 'zc>xa']),
    },
    {
      name: 'named port serve-81-tcp opens 81 only',
      policies: [
        policy('x', 'p', 'podSelector: {}\ningress: [{ ports: [{ port: serve-81-tcp }] }]'),
      ],
      expected: (d) => expect(d).toContain('ya>xa'),
    },
    {
      name: 'SCTP is never TCP: an SCTP-only allow still isolates for TCP',
      policies: [
        policy(
          'x',
          'p',
          'podSelector: { matchLabels: { pod: a } }\ningress: [{ ports: [{ protocol: SCTP, port: 80 }] }]',
        ),
      ],
      expected: (d) => expect(d.filter((p) => p.endsWith('>xa'))).toHaveLength(8),
    },
    {
      name: 'both selectors in one peer are ANDed: only y/a reaches x/a',
      policies: [
        policy(
          'x',
          'p',
          'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } }, podSelector: { matchLabels: { pod: a } } }] }]',
        ),
      ],
      expected: (d) =>
        expect(d.filter((p) => p.endsWith('>xa')).sort()).toEqual([
          'xb>xa',
          'xc>xa',
          'yb>xa',
          'yc>xa',
          'za>xa',
          'zb>xa',
          'zc>xa',
        ]),
    },
    {
      name: 'egress deny-all from x/a closes every connection it opens',
      policies: [
        policy('x', 'p', 'podSelector: { matchLabels: { pod: a } }\npolicyTypes: [Egress]'),
      ],
      expected: (d) => expect(d.filter((p) => p.startsWith('xa>'))).toHaveLength(8),
    },
  ];
  it.each(cases)('$name', ({ policies, options, expected }) => {
    const state = clusterFromYaml(e2eModelYaml(), ...policies);
    expected(denied(connectivityMatrix(state, { ...TCP80, ...options })));
  });

  it('an ipBlock on a pod /32 with except of another pod matches pods by IP (e2e "except clause")', () => {
    const base = clusterFromYaml(e2eModelYaml());
    const xb = base.pods.get('x/b')!.ip;
    const state = clusterFromYaml(
      e2eModelYaml(),
      policy(
        'x',
        'p',
        `podSelector: { matchLabels: { pod: a } }\npolicyTypes: [Egress]\negress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [${xb}/32] } }] }]`,
      ),
    );
    expect(denied(connectivityMatrix(state, TCP80))).toEqual(['xa>xb']);
  });

  it('restricts rows and columns to one namespace while policies elsewhere still apply', () => {
    const state = clusterFromYaml(
      e2eModelYaml(),
      policy('x', 'deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
    );
    const matrix = connectivityMatrix(state, { ...TCP80, namespace: 'x' });
    expect(matrix.peers.map((p) => p.id)).toEqual(['x/a', 'x/b', 'x/c']);
    expect(renderMatrixTable(matrix)).toBe(
      'reachability TCP/80 in namespace x (rows: from, columns: to; . allowed, X denied)\n-\tx/a\tx/b\tx/c\nx/a\t.\tX\tX\nx/b\tX\t.\tX\nx/c\tX\tX\t.\n',
    );
  });
});

describe('AdminNetworkPolicy tiers', () => {
  const anp = (name: string, priority: number, rules: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n  priority: ${priority}\n  subject: { namespaces: { matchLabels: { ns: x } } }\n  ingress:\n${rules}`;
  it('Pass hands the decision to NetworkPolicy, Deny overrides a NetworkPolicy allow, lower priority value wins', () => {
    const state = clusterFromYaml(
      e2eModelYaml(),
      anp(
        'pass-y',
        10,
        '    - { action: Pass, from: [{ namespaces: { matchLabels: { ns: y } } }] }',
      ),
      anp(
        'deny-y-z',
        20,
        '    - { action: Deny, from: [{ namespaces: { matchLabels: { ns: y } } }, { namespaces: { matchLabels: { ns: z } } }] }',
      ),
      policy(
        'x',
        'only-y',
        'podSelector: {}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }] }]',
      ),
    );
    const d = denied(connectivityMatrix(state, TCP80));
    expect(d).not.toContain('ya>xa');
    expect(d).toContain('za>xa');
    expect(d).toContain('xb>xa');
  });
});

describe('AdminNetworkPolicy ties', () => {
  it('evaluates equal priorities in name order, as the evaluator does', () => {
    const anp = (name: string, action: string) =>
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n  priority: 5\n  subject: { namespaces: { matchLabels: { ns: x } } }\n  ingress: [{ action: ${action}, from: [{ namespaces: { matchLabels: { ns: y } } }] }]`;
    const denyFirst = denied(
      connectivityMatrix(
        clusterFromYaml(e2eModelYaml(), anp('b-allow', 'Allow'), anp('a-deny', 'Deny')),
        TCP80,
      ),
    );
    const allowFirst = denied(
      connectivityMatrix(
        clusterFromYaml(e2eModelYaml(), anp('b-deny', 'Deny'), anp('a-allow', 'Allow')),
        TCP80,
      ),
    );
    expect(denyFirst).toContain('ya>xa');
    expect(allowFirst).not.toContain('ya>xa');
  });
});

describe('external pieces', () => {
  it('cuts the IPv4 space at every CIDR and except boundary, like netpol-analyzer', () => {
    expect(cutAddressSpace(['10.0.0.0/8', '10.1.0.0/16']).map((p) => p.range)).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.0.255.255',
      '10.1.0.0-10.1.255.255',
      '10.2.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
    expect(cutAddressSpace([]).map((p) => p.range)).toEqual(['0.0.0.0-255.255.255.255']);
  });

  it('admits only the pieces an ipBlock allows, in both directions', () => {
    const state = clusterFromYaml(
      e2eModelYaml(['x'], ['a']),
      policy(
        'x',
        'p',
        'podSelector: {}\npolicyTypes: [Ingress, Egress]\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }] }]\negress: [{ to: [{ ipBlock: { cidr: 8.8.8.8/32 } }] }]',
      ),
    );
    const matrix = connectivityMatrix(state, { ...TCP80, namespace: 'x', includeExternal: true });
    const json = matrixJson(matrix) as { peers: { id: string }[]; rows: string[] };
    const ids = json.peers.map((p) => p.id);
    expect(ids).toContain('10.1.0.0-10.1.255.255[External]');
    const row = (id: string) => json.rows[ids.indexOf(id)];
    const xa = ids.indexOf('x/a');
    expect(row('10.0.0.0-10.0.255.255[External]')[xa]).toBe('.');
    expect(row('10.1.0.0-10.1.255.255[External]')[xa]).toBe('X');
    expect(row('8.8.8.8-8.8.8.8[External]')[xa]).toBe('X');
    expect(row('x/a')[ids.indexOf('8.8.8.8-8.8.8.8[External]')]).toBe('.');
    expect(row('x/a')[ids.indexOf('10.0.0.0-10.0.255.255[External]')]).toBe('X');
    expect(row('8.8.8.8-8.8.8.8[External]')[ids.indexOf('10.0.0.0-10.0.255.255[External]')]).toBe(
      '-',
    );
  });
});

describe('groupMatrix', () => {
  it('merges pods with identical rows and columns and keeps the matrix it stands for', () => {
    const state = clusterFromYaml(
      e2eModelYaml(),
      policy('x', 'deny', 'podSelector: { matchLabels: { pod: a } }\npolicyTypes: [Ingress]'),
    );
    const matrix = connectivityMatrix(state, { ...TCP80, namespace: 'x' });
    const grouped = groupMatrix(matrix);
    expect(grouped.groups.map((g) => g.members.map((m) => m.id))).toEqual([
      ['x/a'],
      ['x/b', 'x/c'],
    ]);
    expect(renderGroupedTable(grouped)).toBe(
      'grouped reachability TCP/80 in namespace x: 2 groups of peers with identical rows and columns\n-\tG1\tG2\nG1\t.\t.\nG2\tX\t.\nG1 (x/a): x/a\nG2 (2 peers): x/b x/c\n',
    );
  });

  it('keeps pods that cannot reach each other as one group when they are interchangeable', () => {
    const state = clusterFromYaml(
      e2eModelYaml(),
      policy('x', 'deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
    );
    const grouped = groupMatrix(connectivityMatrix(state, { ...TCP80, namespace: 'x' }));
    expect(grouped.groups).toHaveLength(1);
    expect(hasBit(grouped.rows[0], 0)).toBe(false);
  });

  it("every cell of the full matrix equals its groups' cell", () => {
    const state = clusterFromYaml(
      e2eModelYaml(),
      policy(
        'y',
        'p',
        'podSelector: { matchLabels: { pod: b } }\ningress: [{ from: [{ podSelector: { matchLabels: { pod: c } } }] }]',
      ),
    );
    const matrix = connectivityMatrix(state, { ...TCP80, includeExternal: true });
    const grouped = groupMatrix(matrix);
    matrix.peers.forEach((src, i) =>
      matrix.peers.forEach((dst, j) => {
        if (i === j || (src.kind === 'external' && dst.kind === 'external')) return;
        expect(hasBit(grouped.rows[grouped.groupOf[i]], grouped.groupOf[j])).toBe(
          hasBit(matrix.rows[i], j),
        );
      }),
    );
  });
});

describe('determinism', () => {
  it('the same input gives byte-identical JSON', () => {
    const yaml = [
      e2eModelYaml(),
      policy(
        'x',
        'p',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }]',
      ),
    ];
    const run = () =>
      JSON.stringify(
        matrixJson(
          connectivityMatrix(clusterFromYaml(...yaml), { ...TCP80, includeExternal: true }),
        ),
      );
    expect(run()).toBe(run());
  });
});

describe('renderings', () => {
  const state = clusterFromYaml(
    e2eModelYaml(['x'], ['a', 'b']),
    policy('x', 'p', 'podSelector: { matchLabels: { pod: a } }\npolicyTypes: [Ingress]'),
  );
  const matrix = connectivityMatrix(state, { ...TCP80, namespace: 'x' });
  it('CSV has a header row of destinations and one row per source', () => {
    expect(renderMatrixCsv(matrix)).toBe('from\\to,x/a,x/b\nx/a,.,.\nx/b,X,.\n');
  });
  it('Markdown is a table with centred cells', () => {
    expect(renderMatrixMarkdown(matrix)).toBe(
      '| from \\ to | x/a | x/b |\n|---|:-:|:-:|\n| x/a | . | . |\n| x/b | X | . |\n',
    );
  });
  it('JSON carries peers, mark rows, groups and notes', () => {
    expect(matrixJson(matrix, groupMatrix(matrix))).toMatchObject({
      protocol: 'TCP',
      port: 80,
      namespace: 'x',
      rows: ['..', 'X.'],
      groups: [
        { name: 'G1', members: ['x/a'], row: '..' },
        { name: 'G2', members: ['x/b'], row: 'X.' },
      ],
    });
  });
});

describe('policyDiff', () => {
  it('lists the connections a change opens and closes, matching pods by namespace/name', () => {
    const before = clusterFromYaml(
      e2eModelYaml(['x'], ['a', 'b', 'c']),
      policy(
        'x',
        'p',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }]',
      ),
    );
    const after = clusterFromYaml(
      e2eModelYaml(['x'], ['a', 'b', 'c']),
      policy(
        'x',
        'p',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ podSelector: { matchLabels: { pod: c } } }] }]',
      ),
    );
    const diff = policyDiff(before, after, { ...TCP80, namespace: 'x' });
    expect(diff.opened).toEqual([{ from: 'x/c', to: 'x/a' }]);
    expect(diff.closed).toEqual([{ from: 'x/b', to: 'x/a' }]);
  });
});

describe('policyReach', () => {
  it('counts the pods each policy selects and the peers its rules admit on the port', () => {
    const state = clusterFromYaml(
      e2eModelYaml(),
      policy(
        'x',
        'from-y',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: 80 }] }]',
      ),
      policy(
        'x',
        'other-port',
        'podSelector: {}\ningress: [{ from: [{ podSelector: {} }], ports: [{ port: 81 }] }]',
      ),
      policy(
        'y',
        'egress',
        'podSelector: { matchLabels: { pod: b } }\npolicyTypes: [Egress]\negress: [{ to: [{ namespaceSelector: {} }] }]',
      ),
    );
    const { reach } = policyReach(state, readPolicies(state), { protocol: 'TCP', port: 80 });
    expect(reach.map((r) => [r.policy, reachCounts(r)])).toEqual([
      ['NetworkPolicy x/from-y', { selects: 1, admitsFrom: 3, admitsTo: 0 }],
      ['NetworkPolicy x/other-port', { selects: 3, admitsFrom: 0, admitsTo: 0 }],
      ['NetworkPolicy y/egress', { selects: 1, admitsFrom: 0, admitsTo: 11 }],
    ]);
  });
});
