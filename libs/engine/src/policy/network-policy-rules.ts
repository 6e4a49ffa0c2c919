/**
 * Does one NetworkPolicy rule match a connection? A rule allows traffic matching both its peers
 * (`from`/`to`) and its `ports` (network-policies.md; types.go NetworkPolicyIngressRule).
 */
import type { ClusterState } from '../model/cluster-state';
import type { Pod, Protocol } from '../model/resources';
import { selectorMatches } from '../util/labels';
import type {
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
} from './policy-model';
import {
  describePeer,
  formatSelector,
  inCidr,
  podInNamespaces,
  type PolicyPeer,
} from './policy-peer';

export type RuleMatch =
  { matches: true } | { matches: false; reason: 'peer' | 'port' | 'protocol'; detail: string };

/**
 * `peer` is the other end (the source for ingress, the destination for egress); `dstPod` the
 * destination pod, against whose containerPorts named ports resolve.
 */
export function matchNetworkPolicyRule(
  state: ClusterState,
  policy: NetworkPolicy,
  rule: NetworkPolicyRule,
  peer: PolicyPeer,
  dstPod: Pod | null,
  protocol: Protocol,
  port: number,
): RuleMatch {
  if (rule.peers && !rule.peers.some((p) => peerMatches(state, policy.namespace, p, peer))) {
    return {
      matches: false,
      reason: 'peer',
      detail: `${describePeer(peer)} is not among ${rule.peers.map((p) => describeNetworkPeer(p, policy.namespace)).join(' or ')}`,
    };
  }
  if (!rule.ports) return { matches: true };
  if (rule.ports.some((p) => portMatches(p, dstPod, protocol, port))) return { matches: true };
  const wanted = rule.ports.map(describeNetworkPort).join(', ');
  const reason = rule.ports.some((p) => p.protocol === protocol) ? 'port' : 'protocol';
  return {
    matches: false,
    reason,
    detail: `${port}/${protocol} is not among ports ${wanted}${namedPortHint(rule.ports, dstPod, protocol)}`,
  };
}

/**
 * Selector peers only ever match pods (never nodes or outside addresses): even
 * `{namespaceSelector: {}, podSelector: {}}` is "all pods, no IPs" (policy-assistant builder tests).
 * ipBlocks match any address, pod IPs included — the e2e suite expects a pod's /32 to allow it
 * after Service DNAT ("should allow egress access to server in CIDR block").
 */
export function peerMatches(
  state: ClusterState,
  policyNamespace: string,
  rulePeer: NetworkPolicyPeer,
  peer: PolicyPeer,
): boolean {
  if (rulePeer.kind === 'ipBlock')
    return inCidr(rulePeer.cidr, peer.ip) && !rulePeer.except.some((e) => inCidr(e, peer.ip));
  if (peer.kind !== 'pod') return false;
  const pod = peer.pod;
  if (rulePeer.namespaceSelector) {
    if (!podInNamespaces(state, pod, rulePeer.namespaceSelector)) return false;
  } else if (pod.namespace !== policyNamespace) return false;
  return !rulePeer.podSelector || selectorMatches(rulePeer.podSelector, pod.labels);
}

/** `port` absent matches every port of the protocol; SCTP is never TCP; named ports resolve on the destination pod with their protocol. */
export function portMatches(
  rulePort: NetworkPolicyPort,
  dstPod: Pod | null,
  protocol: Protocol,
  port: number,
): boolean {
  if (rulePort.protocol !== protocol) return false;
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'number') {
    if (rulePort.endPort !== undefined) return port >= rulePort.port && port <= rulePort.endPort;
    return port === rulePort.port;
  }
  return namedPortNumber(dstPod, rulePort.port, protocol) === port;
}

/** The containerPort a name stands for on the destination pod, for this protocol; undefined if the pod declares none such. */
export function namedPortNumber(
  pod: Pod | null,
  name: string,
  protocol: Protocol,
): number | undefined {
  if (!pod) return undefined;
  for (const c of pod.containers)
    for (const p of c.ports) if (p.name === name && p.protocol === protocol) return p.containerPort;
  return undefined;
}

function namedPortHint(ports: NetworkPolicyPort[], dstPod: Pod | null, protocol: Protocol): string {
  const named = ports.filter((p) => typeof p.port === 'string' && p.protocol === protocol);
  if (!named.length) return '';
  if (!dstPod) return ' (named ports only match pods)';
  const resolved = named.map(
    (p) => `${p.port}=${namedPortNumber(dstPod, String(p.port), protocol) ?? 'not declared'}`,
  );
  return ` (on ${dstPod.namespace}/${dstPod.name}: ${resolved.join(', ')})`;
}

export function describeNetworkPeer(peer: NetworkPolicyPeer, policyNamespace: string): string {
  if (peer.kind === 'ipBlock')
    return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(',')}` : ''}`;
  const ns = peer.namespaceSelector
    ? `namespaces ${formatSelector(peer.namespaceSelector)}`
    : `namespace ${policyNamespace}`;
  const pods = peer.podSelector ? `pods ${formatSelector(peer.podSelector)}` : 'all pods';
  return `[${pods} in ${ns}]`;
}

export function describeNetworkPort(port: NetworkPolicyPort): string {
  if (port.port === undefined) return `any/${port.protocol}`;
  if (port.endPort !== undefined) return `${port.port}-${port.endPort}/${port.protocol}`;
  return `${port.port}/${port.protocol}`;
}
