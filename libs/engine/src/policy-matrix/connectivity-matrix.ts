import { unsimulatedPolicyNotes } from '../unsimulated/unsimulated-findings';
import type { ClusterState } from '../model/cluster-state';
import type { PolicySet } from '../policy/policy-model';
import { policyEnforcement } from '../policy/enforcement';
import { readPolicies } from '../policy/read-policies';
import { emptySet, hasBit, setBit, type Bitset } from './bitset';
import { transpose32 } from './bit-transpose';
import { compileDirection, type DirectionVerdicts } from './compile-direction';
import type { Matrix, MatrixOptions } from './matrix-types';
import { PeerUniverse } from './peer-universe';

export const MATRIX_NOTES = [
  'a pod always reaches itself; a pod isolated by NetworkPolicy still reaches and is reached from its own node (network-policies.md)',
  'host-network pods stand for their node: matched by IP (ipBlock, networks) or AdminNetworkPolicy nodes peers, never by pod or namespace selectors, and never isolated',
  'domainNames peers of cluster policies are not modelled (they name hosts outside the cluster)',
];

/** The connectivity matrix of the cluster's policies (NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy). */
export function connectivityMatrix(state: ClusterState, options: MatrixOptions): Matrix {
  const enforced = enforcedPolicies(state, readPolicies(state));
  const matrix = matrixForPolicies(state, enforced.policies, options);
  if (enforced.note) matrix.notes.push(enforced.note);
  return matrix;
}

/** The policies the cluster's CNI enforces (policy/enforcement.ts): the others change nothing on the wire. */
export function enforcedPolicies(
  state: ClusterState,
  policies: PolicySet,
): { policies: PolicySet; note?: string } {
  const enforcement = policyEnforcement(state);
  if (enforcement.networkPolicy && enforcement.adminNetworkPolicy) return { policies };
  return {
    policies: {
      networkPolicies: enforcement.networkPolicy ? policies.networkPolicies : [],
      clusterPolicies: enforcement.adminNetworkPolicy ? policies.clusterPolicies : [],
      issues: policies.issues,
    },
    note: enforcement.note,
  };
}

/** Every CIDR the policies mention: the cuts that split the outside world into `[External]` pieces. */
export function policyCidrs(policies: PolicySet): string[] {
  const cidrs: string[] = [];
  const visit = (
    peers: { kind: string; cidr?: string; except?: string[]; cidrs?: string[] }[] | null,
  ) => {
    for (const peer of peers ?? []) {
      if (peer.cidr) cidrs.push(peer.cidr, ...(peer.except ?? []));
      if (peer.cidrs) cidrs.push(...peer.cidrs);
    }
  };
  for (const policy of policies.networkPolicies)
    for (const rule of [...policy.ingress, ...policy.egress]) visit(rule.peers);
  for (const policy of policies.clusterPolicies)
    for (const rule of [...policy.ingress, ...policy.egress]) visit(rule.peers);
  return cidrs;
}

/**
 * Compiles the policies to per-pod allowed sets (see compile-direction.ts), then forms each row as
 * egress-allowed(src) AND ingress-allowed(dst) — bit tests on compiled sets, no per-pair evaluation.
 */
export function matrixForPolicies(
  state: ClusterState,
  policies: PolicySet,
  options: MatrixOptions,
): Matrix {
  const universe = new PeerUniverse(state, options.includeExternal ? policyCidrs(policies) : null);
  const query = { protocol: options.protocol, port: options.port };
  const egress = compileDirection(universe, policies, 'Egress', query);
  const ingress = compileDirection(universe, policies, 'Ingress', query);
  const rows = matrixRows(universe, egress, ingress);
  const shown = universe.peers
    .map((_, i) => i)
    .filter(
      (i) =>
        !options.namespace ||
        universe.peers[i].kind === 'external' ||
        universe.peers[i].namespace === options.namespace,
    );
  const notes = [...MATRIX_NOTES, ...unsimulatedPolicyNotes(state)];
  if (options.includeExternal)
    notes.push('[External] pieces stand for addresses outside the pods; IPv6 CIDRs are not cut');
  if (shown.length === universe.size)
    return {
      protocol: options.protocol,
      port: options.port,
      namespace: options.namespace,
      peers: universe.peers,
      rows,
      notes,
    };
  const projected = shown.map((src) => {
    const row = emptySet(shown.length);
    shown.forEach((dst, j) => hasBit(rows[src], dst) && setBit(row, j));
    return row;
  });
  return {
    protocol: options.protocol,
    port: options.port,
    namespace: options.namespace,
    peers: shown.map((i) => universe.peers[i]),
    rows: projected,
    notes,
  };
}

/**
 * rows[src][dst] = egress(src) admits dst AND ingress(dst) admits src. Ingress sets are stored per
 * destination, so they are read 32 destinations × 32 sources at a time and bit-transposed into
 * per-source words. External sources have no egress policy; external destinations no ingress
 * policy; external → external stays clear. A pod always reaches itself.
 */
function matrixRows(
  universe: PeerUniverse,
  egress: DirectionVerdicts,
  ingress: DirectionVerdicts,
): Bitset[] {
  const size = universe.size;
  const podCount = universe.podCount;
  const words = universe.all.length;
  const rows = universe.peers.map(() => emptySet(size));
  const block = new Uint32Array(32);
  for (let sourceWord = 0; sourceWord < words; sourceWord++) {
    for (let destWord = 0; destWord < words; destWord++) {
      for (let k = 0; k < 32; k++) {
        const dst = (destWord << 5) + k;
        block[k] = dst >= size ? 0 : dst < podCount ? ingress.allowed[dst][sourceWord] : 0xffffffff;
      }
      transpose32(block);
      for (let j = 0; j < 32; j++) {
        const src = (sourceWord << 5) + j;
        if (src >= size) break;
        const out = src < podCount ? egress.allowed[src][destWord] : universe.podMask[destWord];
        rows[src][destWord] = out & block[j];
      }
    }
  }
  for (let pod = 0; pod < podCount; pod++) setBit(rows[pod], pod);
  return rows;
}
