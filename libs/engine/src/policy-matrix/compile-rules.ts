import type { Protocol } from '../model/resources';
import type {
  ClusterPolicy,
  ClusterPolicyAction,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicySubject,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../policy/policy-model';
import { and, emptySet, orInto, type Bitset } from './bitset';
import type { PeerUniverse } from './peer-universe';

/** The one (protocol, port) a matrix is computed for: the destination pod's port, after DNAT. */
export interface PortQuery {
  protocol: Protocol;
  port: number;
}

/** NetworkPolicy `from`/`to`: null (absent or empty) = every peer, external addresses included (types.go IngressRule.From). */
export function networkPeers(
  universe: PeerUniverse,
  peers: NetworkPolicyPeer[] | null,
  namespace: string,
): Bitset {
  if (!peers) return universe.all;
  const one = (peer: NetworkPolicyPeer): Bitset => {
    if (peer.kind === 'ipBlock') return universe.addressesIn(peer.cidr, peer.except);
    if (peer.podSelector)
      return universe.podsInNamespacesMatching(peer.namespaceSelector, namespace, peer.podSelector);
    if (peer.namespaceSelector) return universe.podsInNamespaces(peer.namespaceSelector, namespace);
    return emptySet(universe.size);
  };
  // A single peer is shared from the universe's memo rather than copied: big clusters have many such rules.
  if (peers.length === 1) return one(peers[0]);
  const set = emptySet(universe.size);
  for (const peer of peers) orInto(set, one(peer));
  return set;
}

/** `a OR b` that reuses an operand when the other is empty. */
function union(universe: PeerUniverse, a: Bitset, b: Bitset): Bitset {
  if (a === universe.none) return b;
  const out = a.slice();
  orInto(out, b);
  return out;
}

/** `a AND b` that reuses an operand when the other is the universe (no allocation for "all ports"). */
export function intersect(universe: PeerUniverse, a: Bitset, b: Bitset): Bitset {
  if (b === universe.all || a === universe.none) return a;
  if (a === universe.all || b === universe.none) return b;
  return and(a, b);
}

/**
 * Destinations whose port matches a NetworkPolicy `ports` list for the query: null = every port
 * and protocol; otherwise the protocol must match and the port be equal, in `port..endPort`, or a
 * named port the destination pod serves with that number (so never an external address).
 */
export function networkPorts(
  universe: PeerUniverse,
  ports: NetworkPolicyPort[] | null,
  query: PortQuery,
): Bitset {
  if (!ports) return universe.all;
  let set = universe.none;
  for (const entry of ports) {
    if (entry.protocol !== query.protocol) continue;
    if (entry.port === undefined) return universe.all;
    if (typeof entry.port === 'string')
      set = union(
        universe,
        set,
        universe.podsWithNamedPort(entry.port, entry.protocol, query.port),
      );
    else if (
      entry.port === query.port ||
      (entry.endPort !== undefined && query.port >= entry.port && query.port <= entry.endPort)
    )
      return universe.all;
  }
  return set;
}

export function clusterSubject(universe: PeerUniverse, subject: ClusterPolicySubject): Bitset {
  if (subject.kind === 'namespaces')
    return universe.podsInNamespaces(subject.namespaceSelector, '');
  return universe.podsInNamespacesMatching(subject.namespaceSelector, '', subject.podSelector);
}

/** Cluster policy peers. `domainNames` name hosts outside the cluster, never a pod or an IP range here. */
export function clusterPeers(universe: PeerUniverse, peers: ClusterPolicyPeer[]): Bitset {
  const set = emptySet(universe.size);
  for (const peer of peers) {
    if (peer.kind === 'namespaces')
      orInto(set, universe.podsInNamespaces(peer.namespaceSelector, ''));
    else if (peer.kind === 'pods')
      orInto(set, universe.podsInNamespacesMatching(peer.namespaceSelector, '', peer.podSelector));
    else if (peer.kind === 'nodes') orInto(set, universe.hostPodsOnNodes(peer.nodeSelector));
    else if (peer.kind === 'networks')
      for (const cidr of peer.cidrs) orInto(set, universe.addressesIn(cidr));
  }
  return set;
}

/** Cluster policy ports; a `namedPort` carries no protocol, so it is looked up with the query's. */
export function clusterPorts(
  universe: PeerUniverse,
  ports: ClusterPolicyPort[] | null,
  query: PortQuery,
): Bitset {
  if (!ports) return universe.all;
  let set = universe.none;
  for (const entry of ports) {
    if (entry.kind === 'named')
      set = union(
        universe,
        set,
        universe.podsWithNamedPort(entry.name, query.protocol, query.port),
      );
    else if (entry.protocol !== query.protocol) continue;
    else if (
      entry.kind === 'number'
        ? entry.port === query.port
        : query.port >= entry.start && query.port <= entry.end
    )
      return universe.all;
  }
  return set;
}

/** One rule after compilation: whom it decides for (`appliesTo`) and which peers it matches. */
export interface CompiledRule {
  action: ClusterPolicyAction;
  appliesTo: Bitset;
  peers: Bitset;
}

/**
 * Compiles one cluster policy's rules for one direction, in list order. Ports narrow the peers
 * for egress (they describe the destination) and the subjects for ingress (the subject is the
 * destination). An invalid Allow matches nothing; an invalid Deny or Pass denies everything
 * (network-policy-api "fail closed").
 */
export function compileClusterRules(
  universe: PeerUniverse,
  policy: ClusterPolicy,
  ingress: boolean,
  query: PortQuery,
): CompiledRule[] {
  const subjects = clusterSubject(universe, policy.subject);
  const compiled: CompiledRule[] = [];
  for (const rule of ingress ? policy.ingress : policy.egress) {
    if (rule.invalid) {
      if (rule.action !== 'Allow')
        compiled.push({ action: 'Deny', appliesTo: subjects, peers: universe.all });
      continue;
    }
    const peers = clusterPeers(universe, rule.peers);
    const ports = clusterPorts(universe, rule.ports, query);
    compiled.push(
      ingress
        ? { action: rule.action, appliesTo: intersect(universe, subjects, ports), peers }
        : { action: rule.action, appliesTo: subjects, peers: intersect(universe, peers, ports) },
    );
  }
  return compiled;
}
