import type { ClusterState } from '../model/cluster-state';
import type { PolicySet } from '../policy/policy-model';
import { countBits, emptySet, orInto, type Bitset } from './bitset';
import {
  clusterPeers,
  clusterPorts,
  clusterSubject,
  intersect,
  networkPeers,
  networkPorts,
  type PortQuery,
} from './compile-rules';
import { PeerUniverse } from './peer-universe';

/** What one policy does on one port: the pods it selects, and the peers its rules admit in each direction. */
export interface PolicyReach {
  policy: string;
  selects: Bitset;
  /** Sources some ingress rule matches (for cluster policies: any action). */
  admitsFrom: Bitset;
  /** Destinations some egress rule matches. */
  admitsTo: Bitset;
}

/**
 * "Which pods each policy selects and admits", compiled once per distinct selector like the
 * matrix. Bit positions index `universe.peers`; ingress rules whose ports no selected pod serves
 * (named ports) admit nothing.
 */
export function policyReach(
  state: ClusterState,
  policies: PolicySet,
  query: PortQuery,
): { universe: PeerUniverse; reach: PolicyReach[] } {
  const universe = new PeerUniverse(state, null);
  const reach: PolicyReach[] = [];
  for (const policy of policies.networkPolicies) {
    const selects = universe.podsInNamespacesMatching(null, policy.namespace, policy.podSelector);
    const admitsFrom = emptySet(universe.size);
    const admitsTo = emptySet(universe.size);
    if (policy.policyTypes.includes('Ingress')) {
      for (const rule of policy.ingress)
        if (
          intersect(universe, selects, networkPorts(universe, rule.ports, query)).some(
            (w) => w !== 0,
          )
        )
          orInto(admitsFrom, networkPeers(universe, rule.peers, policy.namespace));
    }
    if (policy.policyTypes.includes('Egress')) {
      for (const rule of policy.egress)
        orInto(
          admitsTo,
          intersect(
            universe,
            networkPeers(universe, rule.peers, policy.namespace),
            networkPorts(universe, rule.ports, query),
          ),
        );
    }
    reach.push({
      policy: `NetworkPolicy ${policy.namespace}/${policy.name}`,
      selects,
      admitsFrom,
      admitsTo,
    });
  }
  for (const policy of policies.clusterPolicies) {
    const selects = clusterSubject(universe, policy.subject);
    const admitsFrom = emptySet(universe.size);
    const admitsTo = emptySet(universe.size);
    for (const rule of policy.ingress)
      if (
        intersect(universe, selects, clusterPorts(universe, rule.ports, query)).some((w) => w !== 0)
      )
        orInto(admitsFrom, clusterPeers(universe, rule.peers));
    for (const rule of policy.egress)
      orInto(
        admitsTo,
        intersect(
          universe,
          clusterPeers(universe, rule.peers),
          clusterPorts(universe, rule.ports, query),
        ),
      );
    reach.push({ policy: `${policy.kind} ${policy.name}`, selects, admitsFrom, admitsTo });
  }
  return { universe, reach };
}

export function reachCounts(entry: PolicyReach): {
  selects: number;
  admitsFrom: number;
  admitsTo: number;
} {
  return {
    selects: countBits(entry.selects),
    admitsFrom: countBits(entry.admitsFrom),
    admitsTo: countBits(entry.admitsTo),
  };
}
