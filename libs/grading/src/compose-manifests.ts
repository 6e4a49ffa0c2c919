/**
 * Turns a submission into the manifest files the engine loads. `full`: the learner's manifests as
 * they are. `patch`: the starting manifests with the learner's objects applied by identity (kind +
 * namespace + name replaces the starting object in place, as `kubectl apply` updates an object
 * without changing its creation order; new objects are appended) and `kind: Delete` documents
 * removing starting objects. The exercise's cluster settings become a `kind: Cluster` document.
 */
import { stringify } from 'yaml';
import {
  DEFAULT_LIMITS,
  formatIssue,
  parseYamlDocuments,
  type ManifestFile,
} from '@netplay/engine';
import { EXERCISE_API_VERSION, type Exercise, type ManifestSubmission } from './exercise-types';
import { isRecord } from './read-check';

export interface ComposedManifests {
  files: ManifestFile[];
  /** One sentence per problem; when non-empty the files must not be loaded. */
  problems: string[];
}

export const SUBMISSION_FILE = 'submission.yaml';
export const PATCHED_FILE = 'patched.yaml';
const STARTING_FILE = 'starting.yaml';
const CLUSTER_FILE = 'exercise-cluster.yaml';

/** Kinds without a namespace: their identity is kind + name (namespaced kinds default to `default`). */
const CLUSTER_SCOPED = new Set([
  'Cluster',
  'Namespace',
  'Node',
  'IngressClass',
  'GatewayClass',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
]);

export function composeManifests(
  exercise: Exercise,
  submission: ManifestSubmission,
): ComposedManifests {
  const learner = parseYamlDocuments(
    [{ name: SUBMISSION_FILE, content: submission.manifests }],
    DEFAULT_LIMITS,
  );
  if (learner.issues.some((i) => i.severity === 'error'))
    return { files: [], problems: learner.issues.map(formatIssue) };
  const values = learner.docs.map((d) => d.value);
  const problems: string[] = [];
  if (exercise.cluster && values.some((v) => isRecord(v) && v.kind === 'Cluster')) {
    problems.push(
      `${SUBMISSION_FILE}: the exercise sets the cluster (nodes, CNI, controllers); remove the kind: Cluster document`,
    );
  }
  const clusterFile = exercise.cluster
    ? [{ name: CLUSTER_FILE, content: stringify(clusterDocument(exercise.cluster)) }]
    : [];
  if (submission.mode === 'full') {
    if (values.some(isDeleteDocument))
      problems.push(
        `${SUBMISSION_FILE}: kind: Delete documents only apply to patch submissions (mode: patch)`,
      );
    // The learner's own file first, so the engine's document numbers are the learner's.
    return {
      files: [{ name: SUBMISSION_FILE, content: submission.manifests }, ...clusterFile],
      problems,
    };
  }
  const starting = parseYamlDocuments(
    [{ name: STARTING_FILE, content: exercise.startingManifests }],
    DEFAULT_LIMITS,
  );
  if (starting.issues.some((i) => i.severity === 'error'))
    return { files: [], problems: starting.issues.map(formatIssue) };
  const merged = applyPatch(
    starting.docs.map((d) => d.value),
    values,
    problems,
  );
  const content = merged.map((v) => stringify(v)).join('---\n');
  return { files: [{ name: PATCHED_FILE, content }, ...clusterFile], problems };
}

/** The starting objects with replacements in place and deletions removed, then the new objects. */
function applyPatch(starting: unknown[], patch: unknown[], problems: string[]): unknown[] {
  const result: (unknown | null)[] = [...starting];
  const indexOf = new Map<string, number>();
  starting.forEach((v, i) => {
    const id = identity(v);
    if (id && !indexOf.has(id)) indexOf.set(id, i);
  });
  const added: unknown[] = [];
  patch.forEach((value, docIndex) => {
    if (isDeleteDocument(value)) {
      deleteTargets(value, docIndex + 1, result, indexOf, problems);
      return;
    }
    const id = identity(value);
    const at = id === undefined ? undefined : indexOf.get(id);
    if (at !== undefined && result[at] !== null) result[at] = value;
    else added.push(value);
  });
  return [...result.filter((v) => v !== null), ...added];
}

function deleteTargets(
  doc: Record<string, unknown>,
  docNumber: number,
  result: (unknown | null)[],
  indexOf: Map<string, number>,
  problems: string[],
): void {
  const where = `${SUBMISSION_FILE} doc ${docNumber} Delete`;
  if (doc.apiVersion !== EXERCISE_API_VERSION)
    problems.push(`${where}: apiVersion: must be ${EXERCISE_API_VERSION}`);
  if (!Array.isArray(doc.targets) || doc.targets.length === 0) {
    problems.push(`${where}: targets: must be a non-empty list of {kind, namespace?, name}`);
    return;
  }
  doc.targets.forEach((target, i) => {
    if (!isRecord(target) || typeof target.kind !== 'string' || typeof target.name !== 'string') {
      problems.push(`${where}: targets[${i}]: must be {kind, namespace?, name}`);
      return;
    }
    const namespace = typeof target.namespace === 'string' ? target.namespace : undefined;
    const id = identityOf(target.kind, namespace, target.name);
    const at = indexOf.get(id);
    // kubectl delete of an object that does not exist fails with NotFound.
    if (at === undefined || result[at] === null)
      problems.push(`${where}: targets[${i}]: ${describe(id)} is not among the starting manifests`);
    else result[at] = null;
  });
}

function isDeleteDocument(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && value.kind === 'Delete';
}

function identity(value: unknown): string | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string') return undefined;
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  return identityOf(
    value.kind,
    typeof meta.namespace === 'string' ? meta.namespace : undefined,
    name,
  );
}

function identityOf(kind: string, namespace: string | undefined, name: string): string {
  return CLUSTER_SCOPED.has(kind)
    ? `${kind}//${name}`
    : `${kind}/${namespace || 'default'}/${name}`;
}

function describe(id: string): string {
  const [kind, namespace, name] = id.split('/');
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

function clusterDocument(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: EXERCISE_API_VERSION, kind: 'Cluster', metadata: { name: 'kind' }, spec };
}
