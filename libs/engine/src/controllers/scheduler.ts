import type { ClusterState } from '../model/cluster-state';
import { objectRef, type EngineIssue } from '../model/issues';
import type { Node, Pod } from '../model/resources';
import { touch } from './new-state';
import {
  DEFAULT_NO_EXECUTE_TOLERATIONS,
  UNSCHEDULABLE_TAINT,
  effectiveTaints,
  formatTaint,
  toleratesTaint,
  untoleratedTaint,
} from './taints';

export interface ScheduleOptions {
  /** Nodes that have joined so far (kubeadm init runs before workers join); all nodes when absent. */
  joinedNodes?: ReadonlySet<string>;
}

/**
 * Binds every unscheduled pod, in creation order. Filters follow the default scheduler's order
 * (NodeUnschedulable, TaintToleration, NodeAffinity: the first failing one is the node's reason).
 * Scoring is a simplification of the default spreading scores: the node with the fewest pods wins,
 * ties go to the node with fewest pods of the same owner, then to node order.
 */
export function schedulePods(state: ClusterState, options: ScheduleOptions = {}): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const nodes = [...state.nodes.values()].filter(
    (n) => !options.joinedNodes || options.joinedNodes.has(n.name),
  );
  const podsOnNode = new Map<string, number>();
  const ownerOnNode = new Map<string, number>();
  const count = (pod: Pod): void => {
    podsOnNode.set(pod.nodeName, (podsOnNode.get(pod.nodeName) ?? 0) + 1);
    const k = spreadKey(pod, pod.nodeName);
    if (k) ownerOnNode.set(k, (ownerOnNode.get(k) ?? 0) + 1);
  };
  for (const pod of state.pods.values()) if (pod.nodeName) count(pod);

  for (const pod of state.pods.values()) {
    // A terminating pod from the input was running before its deletion began: it is placed like any other.
    if (pod.nodeName) continue;
    const feasible: Node[] = [];
    const reasons = new Map<string, number>();
    for (const node of nodes) {
      const reason = filterNode(pod, node);
      if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      else feasible.push(node);
    }
    if (!feasible.length) {
      const histogram = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort();
      const message = `0/${nodes.length} nodes are available${histogram.length ? `: ${histogram.join(', ')}` : ''}.`;
      if (pod.pendingReason !== message) {
        pod.pendingReason = message;
        touch(state);
        issues.push({
          severity: 'warning',
          code: 'UNSCHEDULABLE',
          object: objectRef('Pod', pod.namespace, pod.name),
          message: `FailedScheduling: ${message}`,
        });
      }
      continue;
    }
    let best = feasible[0];
    let bestScore = score(best);
    for (const node of feasible.slice(1)) {
      const s = score(node);
      if (s[0] < bestScore[0] || (s[0] === bestScore[0] && s[1] < bestScore[1])) {
        best = node;
        bestScore = s;
      }
    }
    pod.nodeName = best.name;
    delete pod.pendingReason;
    count(pod);
    touch(state);

    function score(node: Node): [number, number] {
      const k = spreadKey(pod, node.name);
      return [podsOnNode.get(node.name) ?? 0, k ? (ownerOnNode.get(k) ?? 0) : 0];
    }
  }
  return issues;
}

function spreadKey(pod: Pod, nodeName: string): string | null {
  return pod.owner ? `${pod.owner.kind}/${pod.namespace}/${pod.owner.name}@${nodeName}` : null;
}

/** The scheduler's reason for rejecting `node` (kubectl describe's FailedScheduling wording), or null if it fits. */
export function filterNode(pod: Pod, node: Node): string | null {
  if (node.unschedulable && !pod.tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT)))
    return 'node(s) were unschedulable';
  const taints = effectiveTaints(node).filter((t) => t !== UNSCHEDULABLE_TAINT);
  const taint = untoleratedTaint(taints, pod.tolerations, DEFAULT_NO_EXECUTE_TOLERATIONS);
  if (taint) return `node(s) had untolerated taint ${formatTaint(taint)}`;
  for (const k in pod.nodeSelector)
    if (node.labels[k] !== pod.nodeSelector[k])
      return "node(s) didn't match Pod's node affinity/selector";
  return null;
}
