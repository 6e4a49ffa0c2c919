import type { ClusterState } from '../model/cluster-state';
import type { DaemonSet, Node, Pod } from '../model/resources';
import { generatePodName, createPod, deletePod, ownerKey } from './pod-factory';
import { DAEMONSET_TOLERATIONS, effectiveTaints, untoleratedTaint } from './taints';

/**
 * DaemonSet → one pod `<name>-<5 random chars>` per eligible node (pkg/controller/daemon
 * NodeShouldRunDaemonPod): the node matches the nodeSelector and every NoSchedule/NoExecute taint is
 * tolerated, counting the tolerations the controller adds itself (so cordoned nodes still run them).
 * An existing pod stays while only its NoExecute taints are tolerated: a node going unreachable
 * keeps its daemon pods.
 */
export function syncDaemonSets(
  state: ClusterState,
  byOwner: Map<string, Pod[]>,
  joinedNodes?: ReadonlySet<string>,
): void {
  for (const ds of state.daemonSets.values()) {
    const owned = (byOwner.get(ownerKey('DaemonSet', ds.namespace, ds.name)) ?? []).filter(
      (p) => !p.terminating,
    );
    const byNode = new Map<string, Pod[]>();
    for (const pod of owned) {
      const list = byNode.get(pod.nodeName);
      if (list) list.push(pod);
      else byNode.set(pod.nodeName, [pod]);
    }
    for (const [nodeName, pods] of byNode) {
      const node = state.nodes.get(nodeName);
      const keep = node ? shouldContinueRunning(ds, node) : false;
      pods.forEach((pod, i) => {
        if (!keep || i > 0) deletePod(state, pod);
      });
    }
    for (const node of state.nodes.values()) {
      if (joinedNodes && !joinedNodes.has(node.name)) continue;
      if (byNode.has(node.name) || !shouldRun(ds, node)) continue;
      createPod(state, {
        namespace: ds.namespace,
        name: generatePodName(state, ds.namespace, `${ds.name}-`),
        template: {
          ...ds.template,
          tolerations: [...ds.template.tolerations, ...DAEMONSET_TOLERATIONS],
        },
        owner: { kind: 'DaemonSet', name: ds.name },
        controller: 'daemonset-controller',
        nodeName: node.name,
      });
    }
  }
}

function selectorFits(ds: DaemonSet, node: Node): boolean {
  for (const k in ds.template.nodeSelector)
    if (node.labels[k] !== ds.template.nodeSelector[k]) return false;
  return true;
}

function shouldRun(ds: DaemonSet, node: Node): boolean {
  return (
    selectorFits(ds, node) &&
    !untoleratedTaint(effectiveTaints(node), ds.template.tolerations, DAEMONSET_TOLERATIONS)
  );
}

function shouldContinueRunning(ds: DaemonSet, node: Node): boolean {
  const noExecute = effectiveTaints(node).filter((t) => t.effect === 'NoExecute');
  return (
    selectorFits(ds, node) &&
    !untoleratedTaint(noExecute, ds.template.tolerations, DAEMONSET_TOLERATIONS)
  );
}
