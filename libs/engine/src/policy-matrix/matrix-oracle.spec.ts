import fc from 'fast-check';
import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import { evaluateConnection } from '../policy/evaluate-connection';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { ipToInt, intToIp } from '../util/ip';
import { hasBit } from './bitset';
import { connectivityMatrix } from './connectivity-matrix';
import { groupMatrix } from './group-matrix';
import { groupedConnectivity } from './grouped-connectivity';
import type { Matrix } from './matrix-types';
import {
  adminPolicy,
  networkPolicy,
  policies,
  query,
  smallCluster,
  toYaml,
} from './spec-generators';

const RUNS = { numRuns: 150, seed: 20240611 };

function cell(matrix: Matrix, from: string, to: string): boolean {
  const ids = matrix.peers.map((p) => p.id);
  return hasBit(matrix.rows[ids.indexOf(from)], ids.indexOf(to));
}

/** An address of the piece that is neither a pod's nor a node's (those stand for the pod or node, not the outside). */
function outsideAddress(state: ClusterState, first: string, last: string): string | null {
  const index = clusterIndex(state);
  for (let n = ipToInt(first), end = Math.min(ipToInt(last), ipToInt(first) + 8); n <= end; n++) {
    const ip = intToIp(n);
    if (!index.podsByIP.has(ip) && !index.nodesByIP.has(ip)) return ip;
  }
  return null;
}

describe('connectivityMatrix agrees with evaluateConnection', () => {
  it('for every pod pair and every external piece, on random clusters and policies', () => {
    fc.assert(
      fc.property(smallCluster, policies, query, (cluster, policyDocs, q) => {
        const state = clusterFromYaml(toYaml([...cluster, ...policyDocs]));
        const matrix = connectivityMatrix(state, { ...q, includeExternal: true });
        matrix.peers.forEach((src, i) => {
          matrix.peers.forEach((dst, j) => {
            if (src.kind === 'external' && dst.kind === 'external') return;
            const ref = (peer: typeof src) => {
              if (peer.kind === 'pod')
                return { kind: 'pod' as const, pod: state.pods.get(peer.id)! };
              const [first, last] = peer.id.replace('[External]', '').split('-');
              const ip = outsideAddress(state, first, last);
              return ip ? { kind: 'external' as const, ip } : null;
            };
            const from = ref(src);
            const to = ref(dst);
            if (!from || !to) return;
            const expected = evaluateConnection(state, { src: from, dst: to, ...q }).allowed;
            if (hasBit(matrix.rows[i], j) !== expected)
              throw new Error(
                `${src.id} → ${dst.id} on ${q.port}/${q.protocol}: matrix ${!expected}, evaluator ${expected}`,
              );
          });
        });
      }),
      RUNS,
    );
  });
});

describe('matrix properties', () => {
  it('adding an allow rule never removes a connection', () => {
    const extraRule = fc.oneof(
      networkPolicy('extra').map((doc) => ({ admin: false, doc })),
      adminPolicy('extra').map((doc) => ({ admin: true, doc })),
    );
    fc.assert(
      fc.property(smallCluster, policies, query, extraRule, (cluster, policyDocs, q, extra) => {
        const before = connectivityMatrix(clusterFromYaml(toYaml([...cluster, ...policyDocs])), q);
        const widened = policyDocs.map((doc) => structuredClone(doc));
        const source = extra.doc as { spec: { ingress?: unknown[] } };
        const rule = source.spec.ingress?.[0];
        if (!rule) return;
        const target = widened.find((d) =>
          extra.admin ? d.kind === 'AdminNetworkPolicy' : d.kind === 'NetworkPolicy',
        ) as { spec: { ingress?: unknown[] } } | undefined;
        if (!target) return;
        // Appended to ingress: under an ANP it only decides what no earlier rule did; under a NetworkPolicy
        // ingress is already a policy type (defaulted or listed), and appending only adds to the union.
        const ingressListed =
          !('policyTypes' in target.spec) ||
          (target.spec as { policyTypes: string[] }).policyTypes.includes('Ingress');
        if (!extra.admin && !ingressListed) return;
        const allowRule = extra.admin ? { ...(rule as object), action: 'Allow' } : rule;
        target.spec.ingress = [...(target.spec.ingress ?? []), allowRule];
        const after = connectivityMatrix(clusterFromYaml(toYaml([...cluster, ...widened])), q);
        before.peers.forEach((src, i) =>
          before.peers.forEach((dst, j) => {
            if (hasBit(before.rows[i], j) && !cell(after, src.id, dst.id))
              throw new Error(`${src.id} → ${dst.id} was closed by an allow rule`);
          }),
        );
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('a policy that selects no pod changes nothing', () => {
    const inert = fc.oneof(
      networkPolicy('inert').map((p) => ({
        ...p,
        spec: { ...(p.spec as object), podSelector: { matchLabels: { absent: 'label' } } },
      })),
      adminPolicy('inert').map((p) => ({
        ...p,
        spec: {
          ...(p.spec as object),
          subject: {
            pods: { namespaceSelector: {}, podSelector: { matchLabels: { absent: 'label' } } },
          },
        },
      })),
    );
    fc.assert(
      fc.property(smallCluster, policies, query, inert, (cluster, policyDocs, q, extra) => {
        const before = connectivityMatrix(clusterFromYaml(toYaml([...cluster, ...policyDocs])), q);
        const after = connectivityMatrix(
          clusterFromYaml(toYaml([...cluster, ...policyDocs, extra])),
          q,
        );
        expect(after.rows).toEqual(before.rows);
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('the grouped matrix from policy classes stands for every cell of the full matrix', () => {
    fc.assert(
      fc.property(
        smallCluster,
        policies,
        query,
        fc.boolean(),
        (cluster, policyDocs, q, includeExternal) => {
          const state = clusterFromYaml(toYaml([...cluster, ...policyDocs]));
          const full = connectivityMatrix(state, { ...q, includeExternal });
          const grouped = groupedConnectivity(state, { ...q, includeExternal });
          full.peers.forEach((src, i) =>
            full.peers.forEach((dst, j) => {
              if (i === j || (src.kind === 'external' && dst.kind === 'external')) return;
              if (
                hasBit(grouped.rows[grouped.groupOf[i]], grouped.groupOf[j]) !==
                hasBit(full.rows[i], j)
              )
                throw new Error(`${src.id} → ${dst.id} differs in the grouped form`);
            }),
          );
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });

  it('groupMatrix merges exactly the interchangeable peers', () => {
    fc.assert(
      fc.property(smallCluster, policies, query, (cluster, policyDocs, q) => {
        const full = connectivityMatrix(clusterFromYaml(toYaml([...cluster, ...policyDocs])), {
          ...q,
          includeExternal: true,
        });
        const grouped = groupMatrix(full);
        const at = (i: number, j: number) => hasBit(full.rows[i], j);
        const n = full.peers.length;
        const twins = (a: number, b: number) => {
          if (full.peers[a].kind !== full.peers[b].kind || at(a, b) !== at(b, a)) return false;
          for (let x = 0; x < n; x++)
            if (x !== a && x !== b && (at(a, x) !== at(b, x) || at(x, a) !== at(x, b)))
              return false;
          return true;
        };
        for (let a = 0; a < n; a++) {
          for (let b = a + 1; b < n; b++) {
            if (twins(a, b) !== (grouped.groupOf[a] === grouped.groupOf[b]))
              throw new Error(`${full.peers[a].id} and ${full.peers[b].id}: twins ${twins(a, b)}`);
            const external = full.peers[a].kind === 'external' && full.peers[b].kind === 'external';
            if (
              !external &&
              hasBit(grouped.rows[grouped.groupOf[a]], grouped.groupOf[b]) !== at(a, b)
            )
              throw new Error(
                `${full.peers[a].id} → ${full.peers[b].id} differs in the grouped form`,
              );
          }
        }
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});
