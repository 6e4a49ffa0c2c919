import type { ClusterState } from '../model/cluster-state';
import { formatIssue } from '../model/issues';
import { loadCluster } from '../cluster/load-cluster';

/** Test helper: builds a cluster from YAML and fails loudly on any error issue. */
export function clusterFromYaml(...yaml: string[]): ClusterState {
  const result = loadCluster(yaml.map((content, i) => ({ name: `input-${i + 1}.yaml`, content })));
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (!result.state || errors.length)
    throw new Error(`cluster did not build:\n${errors.map(formatIssue).join('\n')}`);
  return result.state;
}
