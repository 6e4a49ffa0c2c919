import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import type { ManifestSet } from '../manifests/manifest-set';
import { applyManifestSet } from '../controllers/apply';
import { installBuiltinNamespaces, installBuiltinObjects } from '../controllers/builtins';
import { newClusterState } from '../controllers/new-state';
import { controlPlaneNodes, registerNodes } from '../controllers/nodes';
import { reconcile, reconcileWith } from './reconcile';
import { installLoadBalancerProvider } from '../load-balancer/install-provider';
import { installIngressControllers } from '../ingress/install-controllers';

/**
 * Builds the cluster `kubectl apply -f` of the set would give on a fresh kind cluster: nodes with
 * their pod ranges, kubeadm's built-in namespaces, `kubernetes` Service and CoreDNS, then the user's
 * objects through the API server's rules, then the controllers. Objects the API server rejects are
 * reported as errors and left out.
 *
 * CoreDNS is scheduled while only the control-plane nodes exist, as `kubeadm init` runs before the
 * workers join: that is why kind's coredns pods sit on the control-plane node.
 */
export function createCluster(set: ManifestSet): { state: ClusterState; issues: EngineIssue[] } {
  const state = newClusterState(structuredClone(set.cluster));
  const issues: EngineIssue[] = registerNodes(state, set.nodes);
  installBuiltinNamespaces(state);
  installLoadBalancerProvider(state, set);
  installBuiltinObjects(state);
  const initNodes = controlPlaneNodes(state).map((n) => n.name);
  // Scheduling problems during init are transient (more nodes join next); the final pass reports what remains.
  reconcileWith(state, initNodes.length ? { joinedNodes: new Set(initNodes) } : {});
  issues.push(...installIngressControllers(state));
  issues.push(...applyManifestSet(state, set));
  issues.push(...reconcile(state));
  state.warnings = issues.filter((i) => i.severity === 'warning');
  return { state, issues };
}
