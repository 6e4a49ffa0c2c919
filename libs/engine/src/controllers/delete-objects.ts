import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import type { ManifestSet } from '../manifests/manifest-set';
import { objectsInInputOrder, issueAt } from './apply';
import { BUILTIN_NAMESPACES } from './builtins';
import { touch } from './new-state';
import { notFoundMessage, type ManagedKind } from './resource-names';

export type NamespacedKind = Exclude<ManagedKind, 'Namespace' | 'Node'>;

/** The state's map of a namespaced kind. */
export function mapFor(state: ClusterState, kind: NamespacedKind): Map<string, unknown> {
  switch (kind) {
    case 'Pod':
      return state.pods;
    case 'Service':
      return state.services;
    case 'Deployment':
      return state.deployments;
    case 'ReplicaSet':
      return state.replicaSets;
    case 'ReplicationController':
      return state.replicationControllers;
    case 'StatefulSet':
      return state.statefulSets;
    case 'DaemonSet':
      return state.daemonSets;
    case 'EndpointSlice':
      return state.endpointSlices;
  }
}

/**
 * Deletes one namespaced object; what it owned goes on the next reconcile (garbage collector), and a
 * deleted Service's ClusterIP and NodePorts are free again since allocations are rebuilt from the
 * Services that exist. Simplification: a deleted pod is gone at once (its grace period is not
 * simulated); its controller creates a replacement with a new name and address.
 */
export function deleteObject(
  state: ClusterState,
  kind: NamespacedKind,
  namespace: string,
  name: string,
): string | null {
  const map = mapFor(state, kind);
  if (!map.delete(`${namespace}/${name}`)) return notFoundMessage(kind, name);
  touch(state);
  return null;
}

/** `kubectl delete namespace`: everything inside goes with it. kubeadm's own namespaces are protected (NamespaceLifecycle admission). */
export function deleteNamespace(state: ClusterState, name: string): string | null {
  if (BUILTIN_NAMESPACES.includes(name))
    return `namespaces "${name}" is forbidden: this namespace may not be deleted`;
  if (!state.namespaces.delete(name)) return notFoundMessage('Namespace', name);
  const maps: Map<string, { namespace: string }>[] = [
    state.pods,
    state.services,
    state.endpointSlices,
    state.deployments,
    state.replicaSets,
    state.replicationControllers,
    state.statefulSets,
    state.daemonSets,
  ];
  for (const map of maps)
    for (const [k, object] of map) if (object.namespace === name) map.delete(k);
  state.objects = state.objects.filter((o) => o.namespace !== name);
  touch(state);
  return null;
}

/** `kubectl delete -f`: every object of the set, each missing one reported as NotFound. */
export function deleteManifestSet(state: ClusterState, set: ManifestSet): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const item of objectsInInputOrder(set)) {
    const meta = item.object;
    const problem = deleteObject(state, item.kind, meta.namespace, meta.name);
    if (problem)
      issues.push(
        issueAt(meta, item.kind, { severity: 'error', code: 'NOT_FOUND', message: problem }),
      );
  }
  for (const object of set.objects) {
    const at = state.objects.findIndex(
      (o) => o.kind === object.kind && o.namespace === object.namespace && o.name === object.name,
    );
    if (at < 0) {
      issues.push({
        severity: 'error',
        code: 'NOT_FOUND',
        doc: object.doc,
        message: `${object.kind.toLowerCase()} "${object.name}" not found`,
      });
      continue;
    }
    state.objects.splice(at, 1);
    touch(state);
  }
  for (const ns of set.namespaces) {
    const problem = deleteNamespace(state, ns.name);
    if (problem)
      issues.push({
        severity: 'error',
        code: 'NOT_FOUND',
        object: `Namespace/${ns.name}`,
        message: problem,
      });
  }
  return issues;
}
