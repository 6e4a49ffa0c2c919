import { unsimulatedPolicyNotes } from '../unsimulated/unsimulated-findings';
import type { ClusterState } from '../model/cluster-state';
import { readPolicies } from '../policy/read-policies';
import { emptySet, type Bitset } from './bitset';
import { compileDirection, type DirectionVerdicts } from './compile-direction';
import { enforcedPolicies, MATRIX_NOTES, policyCidrs } from './connectivity-matrix';
import type { GroupedMatrix, MatrixGroup } from './group-matrix';
import type { MatrixOptions } from './matrix-types';
import { PeerUniverse } from './peer-universe';

/**
 * The grouped matrix straight from the compiled policy classes, without the full pod × pod matrix
 * (100,000 pods would be 10^10 cells). Peers share a group when they have the same egress class,
 * the same ingress class, and are reached by the same egress classes and admitted by the same
 * ingress classes — then their rows and columns are identical. The last two are compared by two
 * 32-bit hashes, so two different peers could (with probability about n²/2^64) share a group.
 * Peers that are interchangeable only by coincidence of different policies may stay in separate
 * groups; `groupMatrix` on a full matrix merges those too.
 */
export function groupedConnectivity(state: ClusterState, options: MatrixOptions): GroupedMatrix {
  const enforced = enforcedPolicies(state, readPolicies(state));
  const universe = new PeerUniverse(
    state,
    options.includeExternal ? policyCidrs(enforced.policies) : null,
  );
  const query = { protocol: options.protocol, port: options.port };
  const egress = compileDirection(universe, enforced.policies, 'Egress', query);
  const ingress = compileDirection(universe, enforced.policies, 'Ingress', query);

  const shown = universe.peers
    .map((_, i) => i)
    .filter(
      (i) =>
        !options.namespace ||
        universe.peers[i].kind === 'external' ||
        universe.peers[i].namespace === options.namespace,
    );
  const { hashA, hashB } = peerHashes(universe.size, egress, ingress);
  const podCount = universe.podCount;
  const byKey = new Map<string, number>();
  const groups: MatrixGroup[] = [];
  const members: number[][] = [];
  const groupOf = new Int32Array(shown.length);
  shown.forEach((peer, position) => {
    const classes =
      peer < podCount ? `${egress.classOf[peer]}/${ingress.classOf[peer]}` : 'external';
    const key = `${classes}/${hashA[peer].toString(36)}/${hashB[peer].toString(36)}`;
    let group = byKey.get(key);
    if (group === undefined) {
      group = groups.push({ name: `G${groups.length + 1}`, members: [] }) - 1;
      members.push([]);
      byKey.set(key, group);
    }
    groups[group].members.push(universe.peers[peer]);
    members[group].push(peer);
    groupOf[position] = group;
  });

  const rows = groupRows(members, podCount, egress, ingress);
  const notes = [
    ...MATRIX_NOTES,
    'grouped from policy classes: peers alike only by coincidence of different policies may be shown as separate groups',
  ];
  if (enforced.note) notes.push(enforced.note);
  notes.push(...unsimulatedPolicyNotes(state));
  return {
    protocol: options.protocol,
    port: options.port,
    namespace: options.namespace,
    groups,
    rows,
    groupOf,
    notes,
  };
}

/** Group × group cells from one representative pair each (two distinct members inside a group of several). */
function groupRows(
  members: number[][],
  podCount: number,
  egress: DirectionVerdicts,
  ingress: DirectionVerdicts,
): Bitset[] {
  const first = members.map((m) => m[0]);
  const second = members.map((m) => (m.length > 1 ? m[1] : m[0]));
  return first.map((src, g) => {
    const row = emptySet(members.length);
    const srcIsPod = src < podCount;
    const out = srcIsPod ? egress.allowed[src] : null;
    const srcWord = src >>> 5;
    const srcBit = 1 << (src & 31);
    for (let h = 0; h < members.length; h++) {
      const dst = g === h ? second[h] : first[h];
      const dstIsPod = dst < podCount;
      const admitted = dstIsPod ? (ingress.allowed[dst][srcWord] & srcBit) !== 0 : srcIsPod;
      const sent = out ? (out[dst >>> 5] & (1 << (dst & 31))) !== 0 : dstIsPod;
      if (src === dst || (admitted && sent)) row[h >>> 5] |= 1 << (h & 31);
    }
    return row;
  });
}

/** Per peer, hashes of "which egress classes reach it" and "which ingress classes admit it". */
function peerHashes(
  size: number,
  egress: DirectionVerdicts,
  ingress: DirectionVerdicts,
): { hashA: Uint32Array; hashB: Uint32Array } {
  const hashA = new Uint32Array(size).fill(0x811c9dc5);
  const hashB = new Uint32Array(size).fill(0x9747b28c);
  const mix = (classes: Bitset[], salt: number) => {
    classes.forEach((set, c) => {
      const token = c * 2 + salt + 1;
      for (let w = 0; w < set.length; w++) {
        let word = set[w];
        while (word) {
          const low = word & -word;
          const peer = (w << 5) + 31 - Math.clz32(low);
          hashA[peer] = Math.imul(hashA[peer] ^ token, 0x01000193);
          hashB[peer] = Math.imul(hashB[peer] ^ token, 0x5bd1e995) ^ (hashB[peer] >>> 15);
          word ^= low;
        }
      }
    });
  };
  mix(egress.classes, 0);
  mix(ingress.classes, 1);
  return { hashA, hashB };
}
