import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { isIPv4 } from '../util/ip';

/** Who sends a probe. */
export type ProbeSource =
  | { kind: 'pod'; pod: Pod; node: Node }
  | { kind: 'node'; node: Node }
  | { kind: 'external'; ip: string };

export type SourceResult = { ok: true; source: ProbeSource } | { ok: false; message: string };

/**
 * Resolves `ns/name` (pod, or workload whose first ready pod is used), a bare name in `default`,
 * `node/NAME`, `external` (the cluster's external client) or `external:IP`.
 */
export function resolveSource(state: ClusterState, from: string): SourceResult {
  if (from === 'external')
    return { ok: true, source: { kind: 'external', ip: state.config.externalClientIP } };
  if (from.startsWith('external:')) {
    const ip = from.slice('external:'.length);
    if (!isIPv4(ip))
      return { ok: false, message: `external source "${ip}" is not an IPv4 address` };
    return { ok: true, source: { kind: 'external', ip } };
  }
  if (from.startsWith('node/')) {
    const node = state.nodes.get(from.slice(5));
    if (!node)
      return {
        ok: false,
        message: `no node named "${from.slice(5)}" (nodes: ${[...state.nodes.keys()].join(', ')})`,
      };
    return { ok: true, source: { kind: 'node', node } };
  }
  const pod = findPod(state, from);
  if (!pod.ok) return pod;
  const node = state.nodes.get(pod.pod.nodeName);
  if (!node || !pod.pod.ip)
    return {
      ok: false,
      message: `pod ${pod.pod.namespace}/${pod.pod.name} is not running on a node (${pod.pod.pendingReason ?? 'Pending'})`,
    };
  return { ok: true, source: { kind: 'pod', pod: pod.pod, node } };
}

/** A pod by `ns/name` or bare name (namespace `default`), or a workload name picking its first ready pod. */
export function findPod(
  state: ClusterState,
  ref: string,
): { ok: true; pod: Pod } | { ok: false; message: string } {
  const [namespace, name] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
  const direct = state.pods.get(`${namespace}/${name}`);
  if (direct) return { ok: true, pod: direct };
  const owned = clusterIndex(state).podsByOwnerWorkload.get(`${namespace}/${name}`) ?? [];
  const running = owned.filter((p) => p.ip && !p.terminating);
  const ready = running.find((p) => p.ready) ?? running[0];
  if (ready) return { ok: true, pod: ready };
  return { ok: false, message: `no pod or workload "${name}" in namespace "${namespace}"` };
}
