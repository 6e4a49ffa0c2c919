import type { ClusterPolicy, PolicyDirection, PolicySet } from '../policy/policy-model';
import { forEachBit, orInto, sameBits, type Bitset } from './bitset';
import {
  compileClusterRules,
  intersect,
  networkPeers,
  networkPorts,
  type CompiledRule,
  type PortQuery,
} from './compile-rules';
import type { PeerUniverse } from './peer-universe';

/** Per pod, the peers it may reach (Egress) or be reached from (Ingress), by its own policies only. */
export interface DirectionVerdicts {
  /** `allowed[podIndex]`, shared between pods whose policies are the same. */
  allowed: Bitset[];
  /** Index of the pod's policy class: pods in one class have identical `allowed`. */
  classOf: Int32Array;
  /** The allowed set of each class. */
  classes: Bitset[];
}

/**
 * Precedence order of the cluster-wide tiers: Admin (lower priority value first) before
 * NetworkPolicy before Baseline. Equal priorities go in name order, as the evaluator does; the API
 * leaves overlapping equal priorities to the implementation (adminnetworkpolicy_types.go Priority).
 */
export function orderClusterPolicies(policies: readonly ClusterPolicy[]): {
  admin: ClusterPolicy[];
  baseline: ClusterPolicy[];
} {
  const byPriority = (a: ClusterPolicy, b: ClusterPolicy) =>
    a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    admin: policies.filter((p) => p.tier === 'Admin').sort(byPriority),
    baseline: policies.filter((p) => p.tier === 'Baseline').sort(byPriority),
  };
}

/**
 * Compiles every policy for one direction and decides, per class of pods with the same applicable
 * rules, the whole allowed set at once: Admin rules first-match (Allow/Deny decide, Pass and no
 * match fall through), then NetworkPolicy if any selects the pod for this direction (union of its
 * rules), otherwise Baseline first-match, otherwise allowed. Pods no policy selects share one class.
 */
export function compileDirection(
  universe: PeerUniverse,
  policies: PolicySet,
  direction: PolicyDirection,
  query: PortQuery,
): DirectionVerdicts {
  const ingress = direction === 'Ingress';
  const podCount = universe.podCount;
  const rules: CompiledRule[] = [];
  const adminLists: number[][] = Array.from({ length: podCount }, () => []);
  const networkLists: number[][] = Array.from({ length: podCount }, () => []);
  const baselineLists: number[][] = Array.from({ length: podCount }, () => []);
  const isolated = new Uint8Array(podCount);

  const addRules = (compiled: CompiledRule[], lists: number[][]) => {
    for (const rule of compiled) {
      const id = rules.push(rule) - 1;
      forEachBit(rule.appliesTo, (pod) => pod < podCount && lists[pod].push(id));
    }
  };
  const { admin, baseline } = orderClusterPolicies(policies.clusterPolicies);
  for (const policy of admin)
    addRules(compileClusterRules(universe, policy, ingress, query), adminLists);
  for (const policy of policies.networkPolicies) {
    if (!policy.policyTypes.includes(direction)) continue;
    const subjects = universe.podsInNamespacesMatching(null, policy.namespace, policy.podSelector);
    forEachBit(subjects, (pod) => (isolated[pod] = 1));
    const compiled: CompiledRule[] = (ingress ? policy.ingress : policy.egress).map((rule) => {
      const peers = networkPeers(universe, rule.peers, policy.namespace);
      const ports = networkPorts(universe, rule.ports, query);
      return ingress
        ? { action: 'Allow', appliesTo: intersect(universe, subjects, ports), peers }
        : { action: 'Allow', appliesTo: subjects, peers: intersect(universe, peers, ports) };
    });
    addRules(compiled, networkLists);
  }
  for (const policy of baseline)
    addRules(compileClusterRules(universe, policy, ingress, query), baselineLists);

  const classes = new Map<string, number>();
  const interned = new BitsetInterner();
  const scratch = new TierScratch(universe.size);
  const classOf = new Int32Array(podCount);
  const allowed: Bitset[] = new Array(podCount);
  for (let pod = 0; pod < podCount; pod++) {
    const node = universe.pods[pod].nodeName;
    const ownNode = isolated[pod] ? universe.hostPodsOnNode(node) : undefined;
    const signature = `${adminLists[pod].join(',')}|${isolated[pod]}:${networkLists[pod].join(',')}|${baselineLists[pod].join(',')}${ownNode ? `@${node}` : ''}`;
    let id = classes.get(signature);
    if (id === undefined) {
      id = interned.intern(
        decideClass(
          universe,
          rules,
          scratch,
          adminLists[pod],
          isolated[pod] === 1,
          networkLists[pod],
          baselineLists[pod],
          ownNode,
        ),
      );
      classes.set(signature, id);
    }
    classOf[pod] = id;
    allowed[pod] = interned.sets[id];
  }
  return { allowed, classOf, classes: interned.sets };
}

/** Keeps one copy of each distinct allowed set: pods whose different policies allow the same peers share a class. */
class BitsetInterner {
  readonly sets: Bitset[] = [];
  private readonly byHash = new Map<string, number[]>();

  intern(set: Bitset): number {
    const hash = hashWords(set);
    const candidates = this.byHash.get(hash) ?? [];
    for (const id of candidates) if (sameBits(this.sets[id], set)) return id;
    if (!candidates.length) this.byHash.set(hash, candidates);
    // Scratch results are copied; sets shared from the universe are kept as they are.
    const id = this.sets.push(set instanceof ScratchResult ? set.copy() : set) - 1;
    candidates.push(id);
    return id;
  }
}

function hashWords(set: Bitset): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < set.length; i++) {
    a = Math.imul(a ^ set[i], 0x01000193);
    b = Math.imul(b ^ set[i] ^ i, 0x5bd1e995);
  }
  return `${a >>> 0}.${b >>> 0}`;
}

/** The reusable result buffer: deciding a class allocates nothing until the interner keeps a new set. */
class ScratchResult extends Uint32Array {
  copy(): Bitset {
    return new Uint32Array(this);
  }
}

class TierScratch {
  readonly adminDecided: Bitset;
  readonly adminAllowed: Bitset;
  readonly passed: Bitset;
  readonly lower: Bitset;
  readonly baselineDecided: Bitset;
  readonly result: ScratchResult;
  constructor(size: number) {
    const words = (size + 31) >>> 5;
    this.adminDecided = new Uint32Array(words);
    this.adminAllowed = new Uint32Array(words);
    this.passed = new Uint32Array(words);
    this.lower = new Uint32Array(words);
    this.baselineDecided = new Uint32Array(words);
    this.result = new ScratchResult(words);
  }
}

/**
 * One class's allowed set. Admin rules first-match (a peer is decided by the first rule matching it),
 * then NetworkPolicy's union if isolated, else Baseline first-match (Deny denies, anything else
 * allows), else the default allow. `ownNode`: host-network pods on the pod's node, allowed once
 * NetworkPolicy isolates the pod ("traffic to and from the node where a Pod is running is always allowed").
 */
function decideClass(
  universe: PeerUniverse,
  rules: CompiledRule[],
  scratch: TierScratch,
  admin: number[],
  isolated: boolean,
  network: number[],
  baseline: number[],
  ownNode?: Bitset,
): Bitset {
  const all = universe.all;
  if (!admin.length && !isolated && !baseline.length) return all;
  // Shared, not copied, when one NetworkPolicy rule decides alone (the common case in big clusters).
  if (!admin.length && isolated && !ownNode && network.length === 1) return rules[network[0]].peers;
  const { adminDecided, adminAllowed, passed, lower, baselineDecided, result } = scratch;
  adminDecided.fill(0);
  adminAllowed.fill(0);
  passed.fill(0);
  for (const id of admin) {
    const { action, peers } = rules[id];
    for (let w = 0; w < all.length; w++) {
      const fresh = peers[w] & ~adminDecided[w];
      if (action === 'Allow') adminAllowed[w] |= fresh;
      else if (action === 'Pass') passed[w] |= fresh;
      adminDecided[w] |= fresh;
    }
  }
  if (isolated) {
    if (ownNode) lower.set(ownNode);
    else lower.fill(0);
    for (const id of network) orInto(lower, rules[id].peers);
  } else {
    // `lower` collects Baseline denials first, then becomes the allowed set.
    baselineDecided.fill(0);
    lower.fill(0);
    for (const id of baseline) {
      const { action, peers } = rules[id];
      for (let w = 0; w < all.length; w++) {
        const fresh = peers[w] & ~baselineDecided[w];
        if (action === 'Deny') lower[w] |= fresh;
        baselineDecided[w] |= fresh;
      }
    }
    for (let w = 0; w < all.length; w++) lower[w] = all[w] & ~lower[w];
  }
  for (let w = 0; w < all.length; w++)
    result[w] = (((all[w] & ~adminDecided[w]) | passed[w]) & lower[w]) | adminAllowed[w];
  return result;
}
