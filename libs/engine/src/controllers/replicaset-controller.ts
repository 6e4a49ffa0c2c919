import type { ClusterState } from '../model/cluster-state';
import type { Pod, ReplicationController } from '../model/resources';
import { createPod, deletePod, effectivelyReady, generatePodName, ownerKey } from './pod-factory';

/**
 * ReplicaSet → pods `<replicaset>-<5 random chars>`, scaled up or down to spec.replicas. The
 * ReplicationController manager (pkg/controller/replication) is the same controller run over
 * ReplicationControllers, so they are synced here too.
 */
export function syncReplicaSets(state: ClusterState, byOwner: Map<string, Pod[]>): void {
  for (const rs of state.replicaSets.values()) syncReplicas(state, byOwner, 'ReplicaSet', rs);
  for (const rc of state.replicationControllers.values())
    syncReplicas(state, byOwner, 'ReplicationController', rc);
}

function syncReplicas(
  state: ClusterState,
  byOwner: Map<string, Pod[]>,
  kind: 'ReplicaSet' | 'ReplicationController',
  set: ReplicationController,
): void {
  // Pods being deleted no longer count (controller.FilterActivePods).
  const active = (byOwner.get(ownerKey(kind, set.namespace, set.name)) ?? []).filter(
    (p) => !p.terminating,
  );
  if (active.length < set.replicas) {
    for (let i = active.length; i < set.replicas; i++)
      createPod(state, {
        namespace: set.namespace,
        name: generatePodName(state, set.namespace, `${set.name}-`),
        template: set.template,
        owner: { kind, name: set.name },
        controller: kind === 'ReplicaSet' ? 'replicaset-controller' : 'replication-controller',
      });
  } else if (active.length > set.replicas) {
    for (const pod of podsToDelete(state, active, active.length - set.replicas))
      deletePod(state, pod);
  }
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
