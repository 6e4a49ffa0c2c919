/**
 * Who a connection's ends are, as policies see them, and whether a selector or CIDR picks them.
 *
 * hostNetwork pods: the Kubernetes docs leave their treatment to the plugin with two allowed
 * behaviours; the engine follows the one the docs call most common — they are not matched by
 * podSelector/namespaceSelector (nor selected as a policy's subject) and their traffic is treated
 * like any traffic to/from the node's IP (network-policies.md "NetworkPolicy and hostNetwork pods").
 */
import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { LabelSelector, Labels, Node, Pod } from '../model/resources';
import { NAMESPACE_NAME_LABEL } from '../controllers/defaults';
import { cidrOf } from '../cni/cidr-cache';
import { nodeOwningPodIP, podGatewayIP } from '../cni/underlay';
import { selectorMatches } from '../util/labels';
import { cidrContains } from '../util/ip';
import type { PolicyPeerRef } from './policy-model';

/** A connection end after normalisation: hostNetwork pods become their node, known addresses their owner. */
export type PolicyPeer =
  | { kind: 'pod'; pod: Pod; ip: string }
  | { kind: 'node'; node: Node; ip: string }
  | { kind: 'external'; ip: string };

export function resolvePeer(state: ClusterState, ref: PolicyPeerRef): PolicyPeer {
  if (ref.kind === 'pod') {
    if (!ref.pod.hostNetwork) return { kind: 'pod', pod: ref.pod, ip: ref.pod.ip };
    const node = state.nodes.get(ref.pod.nodeName);
    return node ? { kind: 'node', node, ip: node.ip } : { kind: 'external', ip: ref.pod.ip };
  }
  if (ref.kind === 'node') return { kind: 'node', node: ref.node, ip: ref.node.ip };
  const index = clusterIndex(state);
  const node = index.nodesByIP.get(ref.ip);
  if (node) return { kind: 'node', node, ip: ref.ip };
  const pod = index.podsByIP.get(ref.ip)?.find((p) => !p.hostNetwork);
  if (pod) return { kind: 'pod', pod, ip: ref.ip };
  // A node's own address on the pod network (the cni0 / cilium_host gateway): masquerade towards
  // a local pod picks it, and the traffic is still the node's.
  const owner = /^\d+\.\d+\.\d+\.\d+$/.test(ref.ip) ? nodeOwningPodIP(state, ref.ip) : undefined;
  if (owner && podGatewayIP(owner) === ref.ip) return { kind: 'node', node: owner, ip: ref.ip };
  return { kind: 'external', ip: ref.ip };
}

export function describePeer(peer: PolicyPeer): string {
  if (peer.kind === 'pod') return `${peer.pod.namespace}/${peer.pod.name}`;
  if (peer.kind === 'node') return `node ${peer.node.name} (${peer.ip})`;
  return peer.ip;
}

export function podRef(pod: Pod): string {
  return `${pod.namespace}/${pod.name}`;
}

/** Namespace labels, including the immutable `kubernetes.io/metadata.name` the API server sets on every namespace. */
export function namespaceLabels(state: ClusterState, namespace: string): Labels {
  const ns = state.namespaces.get(namespace);
  return { [NAMESPACE_NAME_LABEL]: namespace, ...(ns?.labels ?? {}) };
}

export function inCidr(text: string, ip: string): boolean {
  const cidr = cidrOf(text);
  return !!cidr && /^\d+\.\d+\.\d+\.\d+$/.test(ip) && cidrContains(cidr, ip);
}

export function podInNamespaces(
  state: ClusterState,
  pod: Pod,
  namespaceSelector: LabelSelector,
): boolean {
  return selectorMatches(namespaceSelector, namespaceLabels(state, pod.namespace));
}

/** `pod=a,tier In (web,api)`; the empty selector is `{}` (matches everything). */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions) {
    if (req.operator === 'Exists') parts.push(req.key);
    else if (req.operator === 'DoesNotExist') parts.push(`!${req.key}`);
    else parts.push(`${req.key} ${req.operator} (${req.values.join(',')})`);
  }
  return parts.length ? parts.join(',') : '{}';
}
