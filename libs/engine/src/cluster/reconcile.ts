import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import { adoptOrphans } from '../controllers/adopt-orphans';
import { syncDaemonSets } from '../controllers/daemonset-controller';
import { syncDeployments } from '../controllers/deployment-controller';
import { syncEndpointSlices } from '../controllers/endpointslice';
import { podLimitIssue } from '../controllers/creation-limits';
import { collectGarbage } from '../controllers/garbage-collector';
import { assignPodIPs } from '../controllers/ipam';
import { podsByOwner } from '../controllers/pod-factory';
import { syncReplicaSets } from '../controllers/replicaset-controller';
import { schedulePods, type ScheduleOptions } from '../controllers/scheduler';
import { syncStatefulSets } from '../controllers/statefulset-controller';
import { assignLoadBalancers } from '../load-balancer/assign-load-balancers';
import { syncServiceLbDaemonSets } from '../load-balancer/servicelb';
import { publishIngressStatus } from '../ingress/ingress-status';

/**
 * Runs the controllers until the cluster matches its specs: garbage collector, Deployment,
 * ReplicaSet, StatefulSet and DaemonSet controllers, the scheduler, kubelet/CNI IPAM, then the
 * EndpointSlice controller. Idempotent: a second call changes nothing (and leaves `state.version`).
 * Returns only new events (a pod newly unschedulable), not ones already reported.
 */
export function reconcile(state: ClusterState): EngineIssue[] {
  return reconcileWith(state, {});
}

export function reconcileWith(state: ClusterState, options: ScheduleOptions): EngineIssue[] {
  syncServiceLbDaemonSets(state);
  collectGarbage(state);
  adoptOrphans(state);
  syncDeployments(state);
  // Add-ons and controllers may have made workloads (a ServiceLB DaemonSet per LoadBalancer
  // Service): their pods are counted before any is created.
  const tooMany = podLimitIssue(state);
  if (tooMany) return [tooMany];
  const byOwner = podsByOwner(state);
  syncReplicaSets(state, byOwner);
  syncStatefulSets(state, byOwner);
  syncDaemonSets(state, byOwner, options.joinedNodes);
  const issues = schedulePods(state, options);
  // Loops, not push(...list): a spread passes every element as an argument, and a list of a
  // hundred thousand overflows the stack.
  for (const issue of assignPodIPs(state)) issues.push(issue);
  for (const issue of syncEndpointSlices(state)) issues.push(issue);
  for (const issue of assignLoadBalancers(state)) issues.push(issue);
  publishIngressStatus(state);
  return issues;
}
