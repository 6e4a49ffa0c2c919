import type { ClusterState } from '../model/cluster-state';
import { objectRef, type EngineIssue } from '../model/issues';
import type { Pod } from '../model/resources';
import { intToIp, ipToInt, parseCidr } from '../util/ip';
import { touch } from './new-state';

/** host-local starts at the second address: the first (.1) is the bridge/gateway (cni0 in kindnet and flannel). */
const FIRST_POD_OFFSET = 2;

/**
 * Gives every bound pod its address, the way kubelet → CNI → host-local IPAM would: hostNetwork pods
 * share the node's IP; others get the next free address of the node's podCIDR after the last one
 * handed out, wrapping at the end of the range, so a freed address is not reused at once
 * (containernetworking/plugins host-local allocator.go: it resumes after `last_reserved_ip`).
 */
export function assignPodIPs(state: ClusterState): EngineIssue[] {
  const issues: EngineIssue[] = [];
  let used: Map<string, Set<number>> | null = null;
  for (const pod of state.pods.values()) {
    if (!pod.nodeName || pod.ip) continue;
    const node = state.nodes.get(pod.nodeName);
    if (!node) {
      setPending(
        state,
        pod,
        `spec.nodeName "${pod.nodeName}" is not a node of this cluster: the pod is never started (the scheduler does not move pods with nodeName set)`,
      );
      continue;
    }
    if (!node.ready) {
      setPending(state, pod, `node ${node.name} is not ready: its kubelet cannot start the pod`);
      continue;
    }
    if (pod.hostNetwork) {
      bind(state, pod, node.ip);
      continue;
    }
    used ??= usedAddresses(state);
    const ip = nextAddress(state, node.name, node.podCIDR, used);
    if (!ip) {
      const message = `failed to allocate for range 0: no IP addresses available in range set ${node.podCIDR || '(node has no podCIDR)'}`;
      if (pod.pendingReason !== message)
        issues.push({
          severity: 'warning',
          code: 'RANGE_EXHAUSTED',
          object: objectRef('Pod', pod.namespace, pod.name),
          message,
        });
      setPending(state, pod, message);
      continue;
    }
    bind(state, pod, ip);
  }
  return issues;
}

function bind(state: ClusterState, pod: Pod, ip: string): void {
  pod.ip = ip;
  pod.phase = 'Running';
  delete pod.pendingReason;
  touch(state);
}

function setPending(state: ClusterState, pod: Pod, reason: string): void {
  if (pod.pendingReason === reason) return;
  pod.pendingReason = reason;
  touch(state);
}

function usedAddresses(state: ClusterState): Map<string, Set<number>> {
  const used = new Map<string, Set<number>>();
  for (const pod of state.pods.values()) {
    if (!pod.ip || pod.hostNetwork || !pod.nodeName) continue;
    let set = used.get(pod.nodeName);
    if (!set) used.set(pod.nodeName, (set = new Set()));
    set.add(ipToInt(pod.ip));
  }
  return used;
}

function nextAddress(
  state: ClusterState,
  nodeName: string,
  podCIDR: string,
  used: Map<string, Set<number>>,
): string | null {
  const cidr = podCIDR ? parseCidr(podCIDR) : null;
  if (!cidr) return null;
  // Usable offsets FIRST_POD_OFFSET .. size-2 (the last address is the broadcast address).
  const last = cidr.size - 2;
  const span = last - FIRST_POD_OFFSET + 1;
  if (span <= 0) return null;
  let taken = used.get(nodeName);
  if (!taken) used.set(nodeName, (taken = new Set()));
  const cursor = state.ipamCursor.get(nodeName) ?? FIRST_POD_OFFSET;
  const start = cursor >= FIRST_POD_OFFSET && cursor <= last ? cursor : FIRST_POD_OFFSET;
  const reserved = state.reserved?.podIPs;
  for (let i = 0; i < span; i++) {
    const offset = FIRST_POD_OFFSET + ((start - FIRST_POD_OFFSET + i) % span);
    const address = cidr.base + offset;
    if (taken.has(address) || reserved?.has(address)) continue;
    taken.add(address);
    state.ipamCursor.set(nodeName, offset + 1);
    return intToIp(address);
  }
  return null;
}
