import type { ClusterState } from '../model/cluster-state';
import { DEFAULT_CREATION_LIMITS, type CreationLimits } from '../model/creation-limits';
import type { EngineIssue } from '../model/issues';
import type { ManifestSet } from '../manifests/manifest-set';

/** Owner kinds whose pods the engine's controllers keep; other pods are counted one by one. */
const CONTROLLED_POD_OWNERS = new Set([
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
]);

/**
 * What the controllers will keep in the cluster, counted from specs before any pod exists: the
 * replicas of each top-level workload (a Deployment's ReplicaSets share its count), every DaemonSet
 * on every node (an upper bound: node selectors and taints are not consulted) and the pods nothing
 * controls. Keys are `Kind/namespace/name`, so a set applied over a cluster replaces what it names.
 */
interface PodPlan {
  replicas: Map<string, number>;
  daemonSets: Set<string>;
  nodes: Set<string>;
  otherPods: Set<string>;
}

export function creationLimitsOf(state: ClusterState): CreationLimits {
  return state.limits ?? DEFAULT_CREATION_LIMITS;
}

export function limitExceeded(
  message: string,
  fields: { object?: string; path?: string } = {},
): EngineIssue {
  return { severity: 'error', code: 'LIMIT_EXCEEDED', message, ...fields };
}

/**
 * Refusals for a set about to be created or applied (over `state`, when given): replicas per
 * workload, nodes, and the pods the controllers would then keep. Checked before anything of the
 * set exists, so a refused set allocates nothing.
 */
export function manifestSetLimitIssues(
  set: ManifestSet,
  limits: CreationLimits,
  state?: ClusterState,
): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const workloads: [string, { namespace: string; name: string; replicas: number }[]][] = [
    ['Deployment', set.deployments],
    ['ReplicaSet', set.replicaSets],
    ['ReplicationController', set.replicationControllers],
    ['StatefulSet', set.statefulSets],
  ];
  for (const [kind, list] of workloads)
    for (const w of list)
      if (w.replicas > limits.maxReplicas)
        issues.push(replicasIssue(`${kind}/${w.namespace}/${w.name}`, w.replicas, limits));
  const plan = state ? planOf(state) : emptyPlan();
  // A cluster dump's Node objects are its nodes; otherwise they merge with the Cluster document's by name.
  if (!state) for (const node of set.cluster.nodes) plan.nodes.add(node.name);
  for (const node of set.nodes) plan.nodes.add(node.name);
  if (plan.nodes.size > limits.maxNodes)
    issues.push(
      limitExceeded(
        `the cluster would have ${plan.nodes.size} nodes; the limit is ${limits.maxNodes}`,
        { path: 'spec.nodes' },
      ),
    );
  if (issues.length) return issues;
  for (const d of set.deployments)
    plan.replicas.set(`Deployment/${d.namespace}/${d.name}`, d.replicas);
  for (const rs of set.replicaSets)
    if (rs.owner?.kind !== 'Deployment')
      plan.replicas.set(`ReplicaSet/${rs.namespace}/${rs.name}`, rs.replicas);
  for (const rc of set.replicationControllers)
    plan.replicas.set(`ReplicationController/${rc.namespace}/${rc.name}`, rc.replicas);
  for (const sts of set.statefulSets)
    plan.replicas.set(`StatefulSet/${sts.namespace}/${sts.name}`, sts.replicas);
  for (const ds of set.daemonSets) plan.daemonSets.add(`${ds.namespace}/${ds.name}`);
  for (const pod of set.pods)
    if (!isControlled(pod.owner?.kind)) plan.otherPods.add(`${pod.namespace}/${pod.name}`);
  const pods = plannedPods(plan);
  if (pods > limits.maxPods) issues.push(podsIssue(pods, limits));
  return issues;
}

/** A scale to `replicas` of the workload `key` (`Kind/namespace/name`), checked before it is set. */
export function scaleLimitIssues(
  state: ClusterState,
  key: string,
  replicas: number,
): EngineIssue[] {
  const limits = creationLimitsOf(state);
  if (replicas > limits.maxReplicas) return [replicasIssue(key, replicas, limits)];
  const plan = planOf(state);
  plan.replicas.set(key, replicas);
  const pods = plannedPods(plan);
  return pods > limits.maxPods ? [podsIssue(pods, limits)] : [];
}

/** The cluster as it stands (e.g. after an add-on created a DaemonSet), before its pods are made. */
export function podLimitIssue(state: ClusterState): EngineIssue | undefined {
  const limits = creationLimitsOf(state);
  const pods = plannedPods(planOf(state));
  return pods > limits.maxPods ? podsIssue(pods, limits) : undefined;
}

function planOf(state: ClusterState): PodPlan {
  const plan = emptyPlan();
  for (const name of state.nodes.keys()) plan.nodes.add(name);
  for (const d of state.deployments.values())
    plan.replicas.set(`Deployment/${d.namespace}/${d.name}`, d.replicas);
  for (const rs of state.replicaSets.values())
    if (rs.owner?.kind !== 'Deployment')
      plan.replicas.set(`ReplicaSet/${rs.namespace}/${rs.name}`, rs.replicas);
  for (const rc of state.replicationControllers.values())
    plan.replicas.set(`ReplicationController/${rc.namespace}/${rc.name}`, rc.replicas);
  for (const sts of state.statefulSets.values())
    plan.replicas.set(`StatefulSet/${sts.namespace}/${sts.name}`, sts.replicas);
  for (const ds of state.daemonSets.values()) plan.daemonSets.add(`${ds.namespace}/${ds.name}`);
  for (const pod of state.pods.values())
    if (!isControlled(pod.owner?.kind)) plan.otherPods.add(`${pod.namespace}/${pod.name}`);
  return plan;
}

function emptyPlan(): PodPlan {
  return { replicas: new Map(), daemonSets: new Set(), nodes: new Set(), otherPods: new Set() };
}

function plannedPods(plan: PodPlan): number {
  let pods = plan.otherPods.size + plan.daemonSets.size * plan.nodes.size;
  for (const replicas of plan.replicas.values()) pods += replicas;
  return pods;
}

function isControlled(kind: string | undefined): boolean {
  return kind !== undefined && CONTROLLED_POD_OWNERS.has(kind);
}

function replicasIssue(object: string, replicas: number, limits: CreationLimits): EngineIssue {
  return limitExceeded(
    `${replicas} is more than the limit of ${limits.maxReplicas} replicas per workload`,
    { object, path: 'spec.replicas' },
  );
}

function podsIssue(pods: number, limits: CreationLimits): EngineIssue {
  return limitExceeded(
    `the workloads would create ${pods} pods (every workload at its replicas, every DaemonSet on every node); the limit is ${limits.maxPods}`,
  );
}
