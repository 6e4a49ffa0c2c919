import { defaultClusterConfig } from '../model/cluster-config';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import {
  describe,
  fieldSet,
  FieldReader,
  isObject,
  type IssueContext,
  type JsonObject,
} from './field-reader';
import { kindInfo } from './kinds';
import { unsimulatedKind, unsimulatedKindMessage } from './unsimulated-kinds';
import type { ManifestSet, ParsedDoc } from './manifest-set';
import { readClusterConfig } from './read-cluster-config';
import { readEndpoints, readEndpointSlice, SKIP_MIRROR_LABEL } from './read-endpoints';
import { readMetadata, type ReadMeta } from './read-metadata';
import { readNamespace, readNode } from './read-node';
import { FINISHED_PHASES, podStatusPhase, readPod } from './read-pod-template';
import { readService } from './read-service';
import {
  readDaemonSet,
  readDeployment,
  readReplicaSet,
  readReplicationController,
  readStatefulSet,
} from './read-workloads';
import type { NameFormat } from './validate-names';

const TOP_LEVEL_FIELDS = fieldSet('apiVersion', 'kind', 'metadata', 'spec', 'status');

/**
 * Name format per kind (pkg/apis/*\/validation): Services are DNS-1035 labels (they become DNS
 * names and env var prefixes), Namespaces DNS-1123 labels, most others DNS-1123 subdomains.
 */
const NAME_FORMATS: Record<string, NameFormat> = {
  Service: 'dns1035-label',
  Namespace: 'dns1123-label',
};

/**
 * Parsed documents → typed, defaulted, validated objects, as the API server would store them after
 * `kubectl apply`. Every problem is an issue pointing at document, object and field path; objects
 * with errors are still returned (the caller refuses to build a cluster when any error exists).
 * Checks needing cluster state (namespace existence, CIDR membership, allocation) are the controllers'.
 */
export function readManifests(docs: ParsedDoc[]): ManifestSet {
  const set: ManifestSet = {
    cluster: defaultClusterConfig(),
    clusterGiven: false,
    clusterFields: [],
    namespaces: [],
    nodes: [],
    pods: [],
    services: [],
    endpointSlices: [],
    endpoints: [],
    finishedPods: [],
    deployments: [],
    replicaSets: [],
    replicationControllers: [],
    statefulSets: [],
    daemonSets: [],
    objects: [],
    issues: [],
  };
  const seen = new Map<string, ParsedDoc>();
  for (const parsed of docs) readDoc(parsed, set, seen);
  set.issues.push(...quietSummary(set));
  return set;
}

/** One line per kind with no network meaning (RBAC, ConfigMaps, Jobs …), not one per object. */
function quietSummary(set: ManifestSet): EngineIssue[] {
  const counts = new Map<string, number>();
  for (const object of set.objects)
    if (kindInfo(object.kind)?.handling === 'quiet')
      counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
  const issues: EngineIssue[] = [...counts].map(([kind, count]) => ({
    severity: 'info',
    code: 'NOT_SIMULATED',
    message: `${count} ${kind} object${count === 1 ? '' : 's'}: no network meaning, kept as given`,
  }));
  if (set.finishedPods.length)
    issues.push({
      severity: 'info',
      code: 'NOT_SIMULATED',
      message: `${set.finishedPods.length} finished Pod${set.finishedPods.length === 1 ? '' : 's'} (status.phase Succeeded or Failed) left out: they hold no address (${set.finishedPods.join(', ')})`,
    });
  return issues;
}

function readDoc(parsed: ParsedDoc, set: ManifestSet, seen: Map<string, ParsedDoc>): void {
  const context: IssueContext = locationFields(parsed);
  const r = new FieldReader(context, set.issues);
  const raw = parsed.value;
  if (!isObject(raw)) {
    r.error(
      'NOT_AN_OBJECT',
      '',
      `expected a Kubernetes object (a mapping with apiVersion and kind), got ${describe(raw)}`,
    );
    return;
  }
  const apiVersion = r.string(raw, 'apiVersion', '');
  const kind = r.string(raw, 'kind', '');
  const rawMeta = isObject(raw.metadata) ? raw.metadata : {};
  const rawName = typeof rawMeta.name === 'string' ? rawMeta.name : '';
  const info = kind ? kindInfo(kind) : undefined;
  if (kind && rawName) {
    const given =
      typeof rawMeta.namespace === 'string' && rawMeta.namespace ? rawMeta.namespace : undefined;
    // Unknown kinds: scope unknown, so the namespace is shown only when given.
    const scope = (apiVersion ? unsimulatedKind(apiVersion, kind) : undefined) ?? info;
    const namespace = scope ? (scope.namespaced ? (given ?? 'default') : undefined) : given;
    context.object = objectRef(kind, namespace, rawName);
  }
  if (!apiVersion || !kind) {
    if (!apiVersion && raw.apiVersion === undefined)
      r.error('MISSING_FIELD', 'apiVersion', 'Required value: apiVersion must be set');
    if (!kind && raw.kind === undefined)
      r.error('MISSING_FIELD', 'kind', 'Required value: kind must be set');
    return;
  }
  if (kind === 'Cluster' && info && info.apiVersions.includes(apiVersion)) {
    readCluster(r, raw, rawMeta, set);
    return;
  }
  const other = unsimulatedKind(apiVersion, kind);
  if (!info || (other && !info.apiVersions.includes(apiVersion))) {
    const namespaced = other ? other.namespaced : typeof rawMeta.namespace === 'string';
    const meta = readMetadata(r, raw, namespaced, 'dns1123-subdomain');
    if (other) r.warn('NOT_SIMULATED', '', unsimulatedKindMessage(other, apiVersion));
    else
      r.warn('UNKNOWN_KIND', '', `kind "${kind}" (${apiVersion}) is not simulated; kept as given`);
    if (meta) store(set, parsed, apiVersion, kind, meta, raw);
    return;
  }
  if (!info.apiVersions.includes(apiVersion)) {
    r.error(
      'UNKNOWN_KIND',
      'apiVersion',
      `no matches for kind "${kind}" in version "${apiVersion}" (use ${info.apiVersions[0]})`,
    );
    return;
  }
  const meta = readMetadata(r, raw, info.namespaced, NAME_FORMATS[kind] ?? 'dns1123-subdomain');
  if (!meta) return;
  const key = `${kind}/${meta.namespace}/${meta.name}`;
  const earlier = seen.get(key);
  if (earlier) {
    const where =
      earlier.file !== undefined && earlier.file !== parsed.file
        ? `${earlier.file} doc ${earlier.doc}`
        : `doc ${earlier.doc}`;
    r.error(
      'DUPLICATE_OBJECT',
      '',
      `Duplicate value: ${kind} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name} is already defined in ${where}`,
    );
    return;
  }
  seen.set(key, parsed);
  if (info.handling !== 'read') {
    store(set, parsed, apiVersion, kind, meta, raw);
    return;
  }
  if (kind !== 'Endpoints' && kind !== 'EndpointSlice') r.unknownFields(raw, '', TOP_LEVEL_FIELDS);
  readKind(r, kind, raw, meta, set);
}

function readKind(
  r: FieldReader,
  kind: string,
  raw: JsonObject,
  meta: ReadMeta,
  set: ManifestSet,
): void {
  switch (kind) {
    case 'Namespace':
      set.namespaces.push(readNamespace(meta));
      return;
    case 'Node':
      set.nodes.push({ ...readNode(r, raw, meta), location: locationFields(r.context) });
      return;
    case 'Pod': {
      const phase = podStatusPhase(raw);
      if (phase && FINISHED_PHASES.includes(phase))
        set.finishedPods.push(`${meta.namespace}/${meta.name}`);
      else set.pods.push(readPod(r, raw, meta));
      return;
    }
    case 'Service':
      set.services.push(readService(r, raw, meta));
      return;
    case 'Endpoints':
      set.endpoints.push({
        namespace: meta.namespace,
        name: meta.name,
        skipMirror: meta.labels[SKIP_MIRROR_LABEL] === 'true',
        slices: readEndpoints(r, raw, meta),
        location: locationFields(r.context),
      });
      return;
    case 'EndpointSlice':
      set.endpointSlices.push(readEndpointSlice(r, raw, meta));
      return;
    case 'Deployment':
      set.deployments.push(readDeployment(r, raw, meta));
      return;
    case 'ReplicaSet':
      set.replicaSets.push(readReplicaSet(r, raw, meta));
      return;
    case 'ReplicationController':
      set.replicationControllers.push(readReplicationController(r, raw, meta));
      return;
    case 'StatefulSet':
      set.statefulSets.push(readStatefulSet(r, raw, meta));
      return;
    case 'DaemonSet':
      set.daemonSets.push(readDaemonSet(r, raw, meta));
      return;
  }
}

/** At most one `kind: Cluster`; its metadata.name (optional) names the cluster. */
function readCluster(r: FieldReader, raw: JsonObject, rawMeta: JsonObject, set: ManifestSet): void {
  if (set.clusterGiven) {
    r.error('DUPLICATE_OBJECT', '', 'only one Cluster document is allowed');
    return;
  }
  r.unknownFields(raw, '', TOP_LEVEL_FIELDS);
  set.clusterGiven = true;
  if (isObject(raw.spec)) set.clusterFields = Object.keys(raw.spec);
  const name =
    typeof rawMeta.name === 'string' && rawMeta.name ? rawMeta.name : defaultClusterConfig().name;
  set.cluster = readClusterConfig(r, raw, name);
}

function store(
  set: ManifestSet,
  parsed: ParsedDoc,
  apiVersion: string,
  kind: string,
  meta: ReadMeta,
  body: JsonObject,
): void {
  set.objects.push({
    apiVersion,
    kind,
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    name: meta.name,
    ...locationFields(parsed),
    body,
  });
}
