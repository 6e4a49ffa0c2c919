/**
 * Every network policy of a cluster, validated and normalised (policy-model.ts), read once per
 * state version: probes evaluate policies for every packet, the YAML is read only when the
 * cluster changes.
 */
import { derivedPerVersion } from '../model/derived';
import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import type { StoredObject } from '../model/resources';
import type { PolicySet } from './policy-model';
import { readClusterPolicy } from './read-cluster-policy';
import { readNetworkPolicy } from './read-network-policy';
import { unsimulatedKind } from '../manifests/unsimulated-kinds';

const CLUSTER_POLICY_KINDS: ReadonlySet<string> = new Set([
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);

/** The cluster's policies; invalid ones are left out and reported in `issues`. */
export const readPolicies: (state: ClusterState) => PolicySet = derivedPerVersion((state) =>
  readPolicyObjects(state.objects),
);

/**
 * Kubernetes' own policy kinds. Calico and Antrea reuse the names NetworkPolicy and
 * ClusterNetworkPolicy in their API groups; those are not simulated (manifests/unsimulated-kinds.ts).
 */
export function isPolicyKind(kind: string, apiVersion = ''): boolean {
  if (apiVersion && unsimulatedKind(apiVersion, kind)) return false;
  return kind === 'NetworkPolicy' || CLUSTER_POLICY_KINDS.has(kind);
}

/** Reads NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects, in input order. */
export function readPolicyObjects(objects: readonly StoredObject[]): PolicySet {
  const issues: EngineIssue[] = [];
  const set: PolicySet = { networkPolicies: [], clusterPolicies: [], issues };
  for (const object of objects) {
    if (!isPolicyKind(object.kind, object.apiVersion)) continue;
    if (object.kind === 'NetworkPolicy') {
      const policy = readNetworkPolicy(object, issues);
      if (policy) set.networkPolicies.push(policy);
    } else if (CLUSTER_POLICY_KINDS.has(object.kind)) {
      const policy = readClusterPolicy(object, issues);
      if (policy) set.clusterPolicies.push(policy);
    }
  }
  const baselines = set.clusterPolicies.filter((p) => p.kind === 'BaselineAdminNetworkPolicy');
  if (baselines.length > 1) {
    issues.push({
      severity: 'error',
      code: 'DUPLICATE_OBJECT',
      doc: baselines[1].doc,
      object: `BaselineAdminNetworkPolicy/${baselines[1].name}`,
      message: 'only one BaselineAdminNetworkPolicy (named "default") can exist',
    });
  }
  return set;
}

/** The validation issues of the policies among `objects` (loadCluster reports them like any other manifest error). */
export function policyIssues(objects: readonly StoredObject[]): EngineIssue[] {
  return objects.some((o) => isPolicyKind(o.kind, o.apiVersion))
    ? readPolicyObjects(objects).issues
    : [];
}
