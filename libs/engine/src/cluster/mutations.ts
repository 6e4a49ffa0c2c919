import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import type { ManifestSet } from '../manifests/manifest-set';
import { applyManifestSet } from '../controllers/apply';
import {
  creationLimitsOf,
  manifestSetLimitIssues,
  scaleLimitIssues,
} from '../controllers/creation-limits';
import { deleteManifestSet, deleteNamespace, deleteObject } from '../controllers/delete-objects';
import { touch } from '../controllers/new-state';
import { applyNodeObjects } from '../controllers/nodes';
import { reconcile } from './reconcile';
import { notFoundMessage, type ManagedKind } from '../controllers/resource-names';

export { cloneState } from '../controllers/clone-state';

/** What a learner does to a running cluster between probes (kubectl verbs and node failures). */
export type Mutation =
  | { action: 'scale'; target: string; namespace?: string; replicas: number }
  | { action: 'delete'; target: string; namespace?: string }
  | { action: 'set-ready'; pod: string; namespace?: string; ready: boolean }
  | { action: 'cordon' | 'uncordon'; node: string }
  | { action: 'fail-node' | 'recover-node'; node: string }
  | { action: 'apply'; set: ManifestSet }
  | { action: 'delete-manifest'; set: ManifestSet };

/** kubectl's resource names and short names for `kind/name` targets. */
const KIND_ALIASES: Record<string, ManagedKind> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  service: 'Service',
  services: 'Service',
  svc: 'Service',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  replicationcontroller: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  rc: 'ReplicationController',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  endpointslice: 'EndpointSlice',
  endpointslices: 'EndpointSlice',
  namespace: 'Namespace',
  namespaces: 'Namespace',
  ns: 'Namespace',
  node: 'Node',
  nodes: 'Node',
  no: 'Node',
};

function fail(code: EngineIssue['code'], message: string): EngineIssue[] {
  return [{ severity: 'error', code, message }];
}

function parseTarget(target: string): { kind: ManagedKind; name: string } | string {
  const slash = target.indexOf('/');
  const kind = slash > 0 ? KIND_ALIASES[target.slice(0, slash).toLowerCase()] : undefined;
  const name = target.slice(slash + 1);
  if (!kind || !name)
    return `target "${target}" is not of the form kind/name (pod/x, service/x, deployment/x, statefulset/x, …)`;
  return { kind, name };
}

/**
 * Applies one mutation in place, then lets the controllers react (reconcile). Returns the API
 * server's refusals (`deployments.apps "web" not found`) and the controllers' new warnings.
 */
export function applyMutation(state: ClusterState, mutation: Mutation): EngineIssue[] {
  const issues = mutate(state, mutation);
  if (
    issues.some((i) => i.severity === 'error') &&
    mutation.action !== 'apply' &&
    mutation.action !== 'delete-manifest'
  )
    return issues;
  return [...issues, ...reconcile(state)];
}

function mutate(state: ClusterState, m: Mutation): EngineIssue[] {
  switch (m.action) {
    case 'scale':
      return scale(state, m.target, m.namespace ?? 'default', m.replicas);
    case 'delete':
      return remove(state, m.target, m.namespace ?? 'default');
    case 'set-ready': {
      const pod = state.pods.get(`${m.namespace ?? 'default'}/${m.pod}`);
      if (!pod) return fail('NOT_FOUND', notFoundMessage('Pod', m.pod));
      pod.ready = m.ready;
      touch(state);
      return [];
    }
    case 'cordon':
    case 'uncordon':
    case 'fail-node':
    case 'recover-node': {
      const node = state.nodes.get(m.node);
      if (!node) return fail('NOT_FOUND', notFoundMessage('Node', m.node));
      // Cordoning leaves running pods alone; a failed node keeps its pods but they stop being ready
      // endpoints (NoExecute eviction after tolerationSeconds is not simulated).
      if (m.action === 'cordon' || m.action === 'uncordon')
        node.unschedulable = m.action === 'cordon';
      else node.ready = m.action === 'recover-node';
      touch(state);
      return [];
    }
    case 'apply': {
      // Refused as a whole before any of it is applied, like a set too large to load.
      const refused = manifestSetLimitIssues(m.set, creationLimitsOf(state), state);
      if (refused.length) return refused;
      return [...applyNodeObjects(state, m.set.nodes), ...applyManifestSet(state, m.set)];
    }
    case 'delete-manifest':
      return deleteManifestSet(state, m.set);
  }
}

function scale(
  state: ClusterState,
  target: string,
  namespace: string,
  replicas: number,
): EngineIssue[] {
  const parsed = parseTarget(target);
  if (typeof parsed === 'string') return fail('INVALID_FIELD', parsed);
  if (!Number.isInteger(replicas) || replicas < 0)
    return fail(
      'INVALID_FIELD',
      `spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
    );
  const k = `${namespace}/${parsed.name}`;
  const workload =
    parsed.kind === 'Deployment'
      ? state.deployments.get(k)
      : parsed.kind === 'StatefulSet'
        ? state.statefulSets.get(k)
        : parsed.kind === 'ReplicaSet'
          ? state.replicaSets.get(k)
          : parsed.kind === 'ReplicationController'
            ? state.replicationControllers.get(k)
            : null;
  if (workload === null)
    return fail(
      'INVALID_FIELD',
      `${target}: only deployments, statefulsets, replicasets and replicationcontrollers can be scaled`,
    );
  if (!workload) return fail('NOT_FOUND', notFoundMessage(parsed.kind, parsed.name));
  const refused = scaleLimitIssues(state, `${parsed.kind}/${k}`, replicas);
  if (refused.length) return refused;
  if (workload.replicas !== replicas) {
    workload.replicas = replicas;
    touch(state);
  }
  return [];
}

function remove(state: ClusterState, target: string, namespace: string): EngineIssue[] {
  const parsed = parseTarget(target);
  if (typeof parsed === 'string') return fail('INVALID_FIELD', parsed);
  if (parsed.kind === 'Node') {
    if (!state.nodes.delete(parsed.name))
      return fail('NOT_FOUND', notFoundMessage('Node', parsed.name));
    // The pods bound to a deleted node are removed by the pod garbage collector; controllers replace them.
    for (const [k, pod] of state.pods) if (pod.nodeName === parsed.name) state.pods.delete(k);
    touch(state);
    return [];
  }
  const problem =
    parsed.kind === 'Namespace'
      ? deleteNamespace(state, parsed.name)
      : deleteObject(state, parsed.kind, namespace, parsed.name);
  return problem
    ? fail(problem.includes('forbidden') ? 'INVALID_FIELD' : 'NOT_FOUND', problem)
    : [];
}
