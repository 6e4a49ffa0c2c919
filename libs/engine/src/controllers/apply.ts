import { appendAll } from '../util/append-all';
import type { ClusterState } from '../model/cluster-state';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import type {
  DaemonSet,
  Deployment,
  EndpointSlice,
  ObjectMeta,
  Pod,
  ReplicaSet,
  ReplicationController,
  Service,
  StatefulSet,
} from '../model/resources';
import type { ManifestSet } from '../manifests/manifest-set';
import { namespaceObject } from './builtins';
import { mirrorEndpoints } from './mirror-endpoints';
import { drawFromStream, nextSeq, touch } from './new-state';
import { canonicalJson } from './pod-template-hash';
import { uidFor } from './pod-uid';
import { notFoundMessage } from './resource-names';
import {
  allocateServiceValues,
  buildAllocations,
  type ServiceAllocations,
} from './service-allocation';

type Applicable =
  | { kind: 'Service'; object: Service }
  | { kind: 'Pod'; object: Pod }
  | { kind: 'Deployment'; object: Deployment }
  | { kind: 'ReplicaSet'; object: ReplicaSet }
  | { kind: 'ReplicationController'; object: ReplicationController }
  | { kind: 'StatefulSet'; object: StatefulSet }
  | { kind: 'DaemonSet'; object: DaemonSet }
  | { kind: 'EndpointSlice'; object: EndpointSlice };

/** The set's namespaced objects in input order (document index), as `kubectl apply -f` sends them. */
export function objectsInInputOrder(set: ManifestSet): Applicable[] {
  const all: Applicable[] = [
    ...set.services.map((object) => ({ kind: 'Service' as const, object })),
    ...set.pods.map((object) => ({ kind: 'Pod' as const, object })),
    ...set.deployments.map((object) => ({ kind: 'Deployment' as const, object })),
    ...set.replicaSets.map((object) => ({ kind: 'ReplicaSet' as const, object })),
    ...set.replicationControllers.map((object) => ({
      kind: 'ReplicationController' as const,
      object,
    })),
    ...set.statefulSets.map((object) => ({ kind: 'StatefulSet' as const, object })),
    ...set.daemonSets.map((object) => ({ kind: 'DaemonSet' as const, object })),
    ...set.endpointSlices.map((object) => ({ kind: 'EndpointSlice' as const, object })),
  ];
  return all.sort((a, b) => docOf(a.object) - docOf(b.object));
}

export function docOf(meta: ObjectMeta): number {
  return meta.origin.kind === 'manifest' ? meta.origin.doc : 0;
}

export function issueAt(
  meta: ObjectMeta,
  kind: string,
  fields: Pick<EngineIssue, 'code' | 'message' | 'severity'> & { path?: string },
): EngineIssue {
  const issue: EngineIssue = { ...fields, object: objectRef(kind, meta.namespace, meta.name) };
  return meta.origin.kind === 'manifest' ? { ...issue, ...locationFields(meta.origin) } : issue;
}

export interface ApplyOptions {
  allocations?: ServiceAllocations;
  /**
   * Create the namespaces the objects name but neither the cluster nor the input has, with one
   * warning listing them: a dump made with `kubectl get all -A` never has Namespace objects.
   * (`kubectl apply` would refuse each object: `namespaces "x" not found`.)
   */
  createMissingNamespaces?: boolean;
  /** Never created that way: the namespace of `kubectl apply -n`, which must exist. */
  requiredNamespaces?: string[];
}

function createMissingNamespaces(
  state: ClusterState,
  set: ManifestSet,
  required: string[],
): EngineIssue[] {
  const given = new Set([...set.namespaces.map((ns) => ns.name), ...required]);
  const missing: string[] = [];
  const note = (namespace: string | undefined): void => {
    if (!namespace || state.namespaces.has(namespace) || given.has(namespace)) return;
    if (!missing.includes(namespace)) missing.push(namespace);
  };
  for (const item of objectsInInputOrder(set)) note(item.object.namespace);
  for (const item of set.endpoints) note(item.namespace);
  for (const object of set.objects) note(object.namespace);
  for (const name of missing) state.namespaces.set(name, namespaceObject(name, {}, nextSeq(state)));
  if (!missing.length) return [];
  touch(state);
  return [
    {
      severity: 'warning',
      code: 'NAMESPACES_CREATED',
      message: `namespace${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} used but not defined in the input: created (kubectl apply would refuse the objects in ${missing.length === 1 ? 'it' : 'them'})`,
    },
  ];
}

/**
 * Creates or updates every object of `set` as the API server would on `kubectl apply`: namespaces
 * first (a Namespace anywhere in the same input counts, the way a multi-document apply that lists it
 * first succeeds), then the rest in input order, each rejected on its own (`namespaces "x" not
 * found`, allocation conflicts) without stopping the others. Controllers run afterwards (reconcile).
 */
export function applyManifestSet(
  state: ClusterState,
  set: ManifestSet,
  options: ApplyOptions = {},
): EngineIssue[] {
  const allocations = options.allocations ?? buildAllocations(state);
  const issues: EngineIssue[] = [];
  if (options.createMissingNamespaces)
    issues.push(...createMissingNamespaces(state, set, options.requiredNamespaces ?? []));
  for (const ns of set.namespaces) {
    const existing = state.namespaces.get(ns.name);
    if (existing)
      existing.labels = namespaceObject(ns.name, { ...existing.labels, ...ns.labels }, 0).labels;
    else state.namespaces.set(ns.name, namespaceObject(ns.name, ns.labels, nextSeq(state)));
    touch(state);
  }
  for (const item of objectsInInputOrder(set)) {
    const meta = item.object;
    if (!state.namespaces.has(meta.namespace)) {
      issues.push(
        issueAt(meta, item.kind, {
          severity: 'error',
          code: 'NAMESPACE_NOT_FOUND',
          message: notFoundMessage('Namespace', meta.namespace),
        }),
      );
      continue;
    }
    issues.push(...applyOne(state, item, allocations));
  }
  appendAll(issues, mirrorEndpoints(state, set.endpoints));
  // By kind, namespace and name: a search per object made 19,000 objects cost 2 s.
  const storedAt = new Map(state.objects.map((stored, at) => [storedObjectKey(stored), at]));
  for (const object of set.objects) {
    if (object.namespace && !state.namespaces.has(object.namespace)) {
      issues.push({
        severity: 'error',
        code: 'NAMESPACE_NOT_FOUND',
        message: notFoundMessage('Namespace', object.namespace),
        ...locationFields(object),
        object: objectRef(object.kind, object.namespace, object.name),
      });
      continue;
    }
    const key = storedObjectKey(object);
    const at = storedAt.get(key);
    if (at !== undefined) state.objects[at] = structuredClone(object);
    else storedAt.set(key, state.objects.push(structuredClone(object)) - 1);
    touch(state);
  }
  return issues;
}

function storedObjectKey(object: { kind: string; namespace?: string; name: string }): string {
  return JSON.stringify([object.kind, object.namespace ?? null, object.name]);
}

function applyOne(
  state: ClusterState,
  item: Applicable,
  allocations: ServiceAllocations,
): EngineIssue[] {
  const k = `${item.object.namespace}/${item.object.name}`;
  switch (item.kind) {
    case 'Service':
      return applyService(state, structuredClone(item.object), allocations);
    case 'Pod':
      return applyPod(state, structuredClone(item.object));
    case 'Deployment':
      return applyDeployment(state, structuredClone(item.object));
    case 'ReplicaSet':
      upsert(state, state.replicaSets, k, structuredClone(item.object));
      return [];
    case 'ReplicationController':
      upsert(state, state.replicationControllers, k, structuredClone(item.object));
      return [];
    case 'StatefulSet':
      upsert(state, state.statefulSets, k, structuredClone(item.object));
      return [];
    case 'DaemonSet':
      upsert(state, state.daemonSets, k, structuredClone(item.object));
      return [];
    case 'EndpointSlice':
      upsert(state, state.endpointSlices, k, structuredClone(item.object));
      return [];
  }
}

/** Create with a fresh creation sequence, or replace the spec keeping the original's place and sequence. */
function upsert<T extends ObjectMeta>(
  state: ClusterState,
  map: Map<string, T>,
  k: string,
  object: T,
): void {
  const existing = map.get(k);
  object.createdSeq = existing ? existing.createdSeq : nextSeq(state);
  map.set(k, object);
  touch(state);
}

function applyService(
  state: ClusterState,
  svc: Service,
  allocations: ServiceAllocations,
): EngineIssue[] {
  const k = `${svc.namespace}/${svc.name}`;
  const previous = state.services.get(k);
  const problems = drawFromStream(state, `service:${k}`, (random) =>
    allocateServiceValues(allocations, svc, previous, random),
  );
  if (problems.length)
    return problems.map((p) =>
      issueAt(svc, 'Service', {
        severity: 'error',
        code: p.code,
        path: p.path,
        message: p.message,
      }),
    );
  // LoadBalancer ingress stays empty (<pending>) until a load-balancer implementation assigns one.
  if (previous) svc.loadBalancerIngress = previous.loadBalancerIngress;
  upsert(state, state.services, k, svc);
  return [];
}

/**
 * A new pod is Pending until the scheduler and IPAM place it, unless it was read from a cluster dump
 * with status.podIP: then it keeps its node, address and phase (its address was reserved before
 * anything was allocated, see cluster/import-addresses.ts).
 */
function applyPod(state: ClusterState, pod: Pod): EngineIssue[] {
  const k = `${pod.namespace}/${pod.name}`;
  const existing = state.pods.get(k);
  if (!existing) {
    pod.createdSeq = nextSeq(state);
    if (!pod.uid) pod.uid = uidFor(state, pod.namespace, pod.name);
    if (!pod.ip) pod.phase = 'Pending';
    state.pods.set(k, pod);
    touch(state);
    return [];
  }
  // A pod's spec is immutable apart from a few fields; metadata and (simulated) readiness update in place.
  existing.labels = pod.labels;
  existing.annotations = pod.annotations;
  existing.ready = pod.ready;
  touch(state);
  return [];
}

function applyDeployment(state: ClusterState, deployment: Deployment): EngineIssue[] {
  const k = `${deployment.namespace}/${deployment.name}`;
  const existing = state.deployments.get(k);
  if (existing) {
    // apps/v1 selectors are immutable (apps validation ValidateDeploymentUpdate).
    if (canonicalJson(existing.selector) !== canonicalJson(deployment.selector)) {
      return [
        issueAt(deployment, 'Deployment', {
          severity: 'error',
          code: 'IMMUTABLE_FIELD',
          path: 'spec.selector',
          message: 'Invalid value: field is immutable',
        }),
      ];
    }
    const templateChanged = canonicalJson(existing.template) !== canonicalJson(deployment.template);
    deployment.revision = templateChanged ? existing.revision + 1 : existing.revision;
  }
  upsert(state, state.deployments, k, deployment);
  return [];
}
