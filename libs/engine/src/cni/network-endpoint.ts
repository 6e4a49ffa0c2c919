import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { cidrContains } from '../util/ip';
import { cidrOf } from './cidr-cache';
import { nodeOwningPodIP } from './underlay';

/** What sits behind an address, seen from the cluster's network. hostNetwork pods are their node. */
export type NetworkEndpoint =
  | { kind: 'pod'; ip: string; pod: Pod; node: Node }
  | { kind: 'node'; ip: string; node: Node }
  /** Inside a node's pod range, but no pod has the address. */
  | { kind: 'unassigned-pod-ip'; ip: string; node?: Node }
  /** Inside the service CIDR (only kube-proxy's rules make such addresses mean anything). */
  | { kind: 'service-ip'; ip: string }
  | { kind: 'external'; ip: string };

/** Classifies an address with O(1) index lookups. */
export function endpointForIP(state: ClusterState, ip: string): NetworkEndpoint {
  const index = clusterIndex(state);
  const pods = index.podsByIP.get(ip)?.filter((p) => !p.hostNetwork) ?? [];
  const pod = pods.find((p) => !p.terminating) ?? pods[0];
  const podNode = pod ? state.nodes.get(pod.nodeName) : undefined;
  if (pod && podNode) return { kind: 'pod', ip, pod, node: podNode };
  const node = index.nodesByIP.get(ip);
  if (node) return { kind: 'node', ip, node };
  const podCIDR = cidrOf(state.config.podCIDR);
  if (podCIDR && cidrContains(podCIDR, ip))
    return { kind: 'unassigned-pod-ip', ip, node: nodeOwningPodIP(state, ip) };
  const serviceCIDR = cidrOf(state.config.serviceCIDR);
  if (serviceCIDR && cidrContains(serviceCIDR, ip)) return { kind: 'service-ip', ip };
  return { kind: 'external', ip };
}

export function isPodIP(state: ClusterState, ip: string): boolean {
  const podCIDR = cidrOf(state.config.podCIDR);
  return !!podCIDR && cidrContains(podCIDR, ip);
}
