/** YAML builders shared by this folder's specs: short manifests in the shape a learner writes them. */
import type { EngineIssue } from '../model/issues';
import { formatIssue } from '../model/issues';
import { loadCluster } from '../cluster/load-cluster';
import type { ClusterState } from '../model/cluster-state';
import { DEFAULT_LIMITS, type ManifestSet } from '../manifests/manifest-set';
import { parseYamlDocuments } from '../manifests/parse-yaml';
import { readManifests } from '../manifests/read-manifests';

export function deploymentYaml(
  name: string,
  replicas: number,
  extra: { namespace?: string; podSpec?: string; labels?: string } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}${extra.namespace ? `, namespace: ${extra.namespace}` : ''}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}${extra.labels ? `, ${extra.labels}` : ''}}}
    spec:
${extra.podSpec ?? '      containers: [{name: web, image: httpd, ports: [{name: http, containerPort: 80}]}]'}
`;
}

/** A three-replica StatefulSet `db` (pods db-0, db-1, db-2). */
export const DB_STATEFUL_SET_YAML = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
`;

export function serviceYaml(name: string, spec: string, namespace?: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
spec:
${spec}
`;
}

export { clusterWith as clusterYaml } from '../testing/seed-fixtures';

/** Loads YAML and returns the issues (for tests of rejected input); the state when it built. */
export function load(...yaml: string[]): {
  state: ClusterState | null;
  issues: EngineIssue[];
  errors: string[];
} {
  const result = loadCluster(yaml.map((content, i) => ({ name: `input-${i + 1}.yaml`, content })));
  return {
    ...result,
    errors: result.issues.filter((i) => i.severity === 'error').map(formatIssue),
  };
}

export function podsOf(state: ClusterState, namespace: string, prefix: string) {
  return [...state.pods.values()].filter(
    (p) => p.namespace === namespace && p.name.startsWith(prefix),
  );
}

/** A ManifestSet from YAML, for `apply` / `delete-manifest` mutations. */
export function setFromYaml(yaml: string): ManifestSet {
  const parsed = parseYamlDocuments([{ name: 'change.yaml', content: yaml }], DEFAULT_LIMITS);
  return readManifests(parsed.docs);
}
