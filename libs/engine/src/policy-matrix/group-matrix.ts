import { emptySet, hasBit, sameBits, setBit, type Bitset } from './bitset';
import type { Matrix, MatrixPeer } from './matrix-types';

export interface MatrixGroup {
  /** `G1`, `G2`… in order of first member. */
  name: string;
  members: MatrixPeer[];
}

/** The matrix over groups of interchangeable peers: `rows[g]` is a bitset over groups. */
export interface GroupedMatrix {
  protocol: Matrix['protocol'];
  port: number;
  namespace?: string;
  groups: MatrixGroup[];
  rows: Bitset[];
  /** Each peer's group index, parallel to the matrix's peers. */
  groupOf: Int32Array;
  notes: string[];
}

/**
 * Merges peers with identical rows AND columns. Two peers are merged when swapping them leaves
 * the matrix unchanged ("twins"); that is an equivalence, and inside a group of two or more every
 * ordered pair of distinct members has the same value, which is the group's diagonal cell. Twins
 * that reach each other have equal rows and columns once their own cell is set, twins that do not
 * once it is cleared; both keys are hashed and then compared bit by bit.
 */
export function groupMatrix(matrix: Matrix): GroupedMatrix {
  const size = matrix.peers.length;
  const columns = transpose(matrix.rows, size);
  const groupOf = new Int32Array(size).fill(-1);
  const representatives: number[] = [];
  const sharedCell: boolean[] = [];
  for (const mutual of [true, false]) {
    const buckets = new Map<string, number[]>();
    for (let peer = 0; peer < size; peer++) {
      if (groupOf[peer] >= 0) continue;
      const row = withSelf(matrix.rows[peer], peer, mutual);
      const column = withSelf(columns[peer], peer, mutual);
      const key = `${matrix.peers[peer].kind}:${hashBits(row)}:${hashBits(column)}`;
      const bucket = buckets.get(key) ?? [];
      if (!bucket.length) buckets.set(key, bucket);
      let group = -1;
      for (const rep of bucket) {
        if (
          sameBits(row, withSelf(matrix.rows[rep], rep, mutual)) &&
          sameBits(column, withSelf(columns[rep], rep, mutual))
        )
          group = groupOf[rep];
      }
      if (group < 0) {
        bucket.push(peer);
        group = representatives.push(peer) - 1;
        sharedCell.push(mutual);
      }
      groupOf[peer] = group;
    }
    // A bucket of one on the first pass is only provisionally a group: retry it as a non-mutual twin.
    if (mutual) {
      const sizes = new Int32Array(representatives.length);
      for (let peer = 0; peer < size; peer++) sizes[groupOf[peer]]++;
      const keep = representatives.map((_, g) => sizes[g] > 1);
      const renumber = new Int32Array(representatives.length).fill(-1);
      const kept: number[] = [];
      representatives.forEach((rep, g) => keep[g] && (renumber[g] = kept.push(rep) - 1));
      for (let peer = 0; peer < size; peer++) groupOf[peer] = renumber[groupOf[peer]];
      representatives.splice(0, representatives.length, ...kept);
      sharedCell.splice(0, sharedCell.length, ...kept.map(() => true));
    }
  }
  return buildGroups(matrix, groupOf, representatives, sharedCell);
}

function buildGroups(
  matrix: Matrix,
  groupOf: Int32Array,
  representatives: number[],
  sharedCell: boolean[],
): GroupedMatrix {
  // Number groups in order of their first member so the output reads like the peer list.
  const order: number[] = [];
  const seen = new Set<number>();
  for (const g of groupOf) {
    if (seen.has(g)) continue;
    seen.add(g);
    order.push(g);
  }
  const position = new Int32Array(representatives.length);
  order.forEach((g, i) => (position[g] = i));
  const groups: MatrixGroup[] = order.map((_, i) => ({ name: `G${i + 1}`, members: [] }));
  const finalOf = new Int32Array(groupOf.length);
  groupOf.forEach((g, peer) => {
    finalOf[peer] = position[g];
    groups[position[g]].members.push(matrix.peers[peer]);
  });
  const rows = order.map((g) => {
    const row = emptySet(order.length);
    const rep = representatives[g];
    order.forEach((h, j) => {
      const allowed =
        g === h
          ? groups[j].members.length > 1
            ? sharedCell[g]
            : hasBit(matrix.rows[rep], rep)
          : hasBit(matrix.rows[rep], representatives[h]);
      if (allowed) setBit(row, j);
    });
    return row;
  });
  return {
    protocol: matrix.protocol,
    port: matrix.port,
    namespace: matrix.namespace,
    groups,
    rows,
    groupOf: finalOf,
    notes: matrix.notes,
  };
}

function transpose(rows: Bitset[], size: number): Bitset[] {
  const columns = rows.map(() => emptySet(size));
  rows.forEach((row, src) => {
    for (let w = 0; w < row.length; w++) {
      let word = row[w];
      while (word) {
        const low = word & -word;
        setBit(columns[(w << 5) + 31 - Math.clz32(low)], src);
        word ^= low;
      }
    }
  });
  return columns;
}

function withSelf(set: Bitset, index: number, value: boolean): Bitset {
  const copy = set.slice();
  const mask = 1 << (index & 31);
  copy[index >>> 5] = value ? copy[index >>> 5] | mask : copy[index >>> 5] & ~mask;
  return copy;
}

/** Two independent 32-bit FNV-1a style mixes of the words; equality is then confirmed bit by bit. */
function hashBits(set: Bitset): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < set.length; i++) {
    a = Math.imul(a ^ set[i], 0x01000193);
    b = Math.imul(b ^ set[i] ^ (i + 1), 0x5bd1e995);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}
