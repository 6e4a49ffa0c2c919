import { appendAll } from '../util/append-all';
import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import type { ManifestSet } from '../manifests/manifest-set';
import { applyManifestSet } from '../controllers/apply';
import { installBuiltinNamespaces, installBuiltinObjects } from '../controllers/builtins';
import { newClusterState } from '../controllers/new-state';
import { manifestSetLimitIssues } from '../controllers/creation-limits';
import { DEFAULT_CREATION_LIMITS, type CreationLimits } from '../model/creation-limits';
import { controlPlaneNodes, registerNodes } from '../controllers/nodes';
import { reconcile, reconcileWith } from './reconcile';
import { reserveFixedAddresses } from './fixed-addresses';
import { inferFromDump } from './infer-from-dump';
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
export function createCluster(
  set: ManifestSet,
  options: { requiredNamespaces?: string[]; limits?: CreationLimits } = {},
): { state: ClusterState; issues: EngineIssue[] } {
  const limits = options.limits ?? DEFAULT_CREATION_LIMITS;
  // Refused before any node or object is made: the set alone says how much it would create.
  const refused = manifestSetLimitIssues(set, limits);
  if (refused.length)
    return { state: newClusterState(structuredClone(set.cluster)), issues: refused };
  // Node objects with their addresses (what kubelet reports) and no Cluster document listing nodes
  // are a cluster dump: they are the nodes. A Node object without an address (a cordon, a label)
  // changes a node of the default cluster.
  const nodesAreTheCluster =
    set.nodes.some((n) => n.ip !== undefined) && !set.clusterFields.includes('nodes');
  const issues: EngineIssue[] = nodesAreTheCluster ? inferFromDump(set) : [];
  const state = newClusterState(structuredClone(set.cluster));
  state.limits = limits;
  appendAll(issues, registerNodes(state, set.nodes, nodesAreTheCluster));
  appendAll(issues, reserveFixedAddresses(state, set));
  installBuiltinNamespaces(state);
  installLoadBalancerProvider(state, set);
  installBuiltinObjects(state, (kind, namespace, name) => inputDefines(set, kind, namespace, name));
  const initNodes = controlPlaneNodes(state).map((n) => n.name);
  // Scheduling problems during init are transient (more nodes join next); the final pass reports what remains.
  reconcileWith(state, initNodes.length ? { joinedNodes: new Set(initNodes) } : {});
  appendAll(issues, installIngressControllers(state));
  issues.push(
    ...applyManifestSet(state, set, {
      createMissingNamespaces: true,
      requiredNamespaces: options.requiredNamespaces ?? [],
    }),
  );
  state.reserved = undefined;
  appendAll(issues, reconcile(state));
  state.warnings = issues.filter((i) => i.severity === 'warning');
  return { state, issues };
}

/** The input has this object itself (a cluster dump has the `kubernetes` Service and CoreDNS). */
function inputDefines(set: ManifestSet, kind: string, namespace: string, name: string): boolean {
  const same = (o: { namespace: string; name: string }) =>
    o.namespace === namespace && o.name === name;
  switch (kind) {
    case 'Service':
      return set.services.some(same);
    case 'Deployment':
      return set.deployments.some(same);
    case 'EndpointSlice':
      return set.endpointSlices.some(same);
    default:
      return false;
  }
}
