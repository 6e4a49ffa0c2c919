import type { ClusterState } from '../model/cluster-state';
import type { Pod, ReplicaSet } from '../model/resources';
import { createPod, deletePod, effectivelyReady, generatePodName, ownerKey } from './pod-factory';

/** ReplicaSet → pods `<replicaset>-<5 random chars>`, scaled up or down to spec.replicas. */
export function syncReplicaSets(state: ClusterState, byOwner: Map<string, Pod[]>): void {
  for (const rs of state.replicaSets.values()) {
    // Pods being deleted no longer count (controller.FilterActivePods).
    const active = (byOwner.get(ownerKey('ReplicaSet', rs.namespace, rs.name)) ?? []).filter(
      (p) => !p.terminating,
    );
    if (active.length < rs.replicas) {
      for (let i = active.length; i < rs.replicas; i++) createReplica(state, rs);
    } else if (active.length > rs.replicas) {
      for (const pod of podsToDelete(state, active, active.length - rs.replicas))
        deletePod(state, pod);
    }
  }
}

function createReplica(state: ClusterState, rs: ReplicaSet): Pod {
  return createPod(state, {
    namespace: rs.namespace,
    name: generatePodName(state, rs.namespace, `${rs.name}-`),
    template: rs.template,
    owner: { kind: 'ReplicaSet', name: rs.name },
    controller: 'replicaset-controller',
  });
}

/**
 * Which pods a scale-down removes, in the ReplicaSet controller's order (controller_utils.go
 * ActivePodsWithRanks): unscheduled before scheduled, Pending before Running, not ready before ready,
 * pods doubled up on a node with others of the same set before lone ones, then the newest first.
 */
export function podsToDelete(state: ClusterState, pods: Pod[], count: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const pod of pods)
    if (pod.nodeName) perNode.set(pod.nodeName, (perNode.get(pod.nodeName) ?? 0) + 1);
  const rank = (pod: Pod): number => (pod.nodeName ? (perNode.get(pod.nodeName) ?? 0) : 0);
  const ranked = [...pods].sort((a, b) => {
    if (!a.nodeName !== !b.nodeName) return a.nodeName ? 1 : -1;
    if (a.phase !== b.phase) return a.phase === 'Pending' ? -1 : 1;
    const readyA = effectivelyReady(state, a);
    const readyB = effectivelyReady(state, b);
    if (readyA !== readyB) return readyA ? 1 : -1;
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    return b.createdSeq - a.createdSeq;
  });
  return ranked.slice(0, count);
}
