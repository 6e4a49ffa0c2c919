import type { ClusterState } from '../model/cluster-state';
import type { Deployment, PodTemplate, ReplicaSet } from '../model/resources';
import { controllerOrigin, POD_TEMPLATE_HASH_LABEL } from './defaults';
import { nextSeq, touch } from './new-state';
import { canonicalJson, podTemplateHash } from './pod-template-hash';

/**
 * Deployment → ReplicaSet `<deployment>-<pod-template-hash>`, carrying the hash as a label on the set,
 * its selector and its pod template (pkg/controller/deployment/sync.go getNewReplicaSet).
 * Simplification: a template change replaces the pods at once (old sets scaled to 0 in the same
 * pass) instead of a RollingUpdate's surge/unavailable steps.
 */
export function syncDeployments(state: ClusterState): void {
  const owned = new Map<string, ReplicaSet[]>();
  for (const rs of state.replicaSets.values()) {
    if (rs.owner?.kind !== 'Deployment') continue;
    const k = `${rs.namespace}/${rs.owner.name}`;
    const list = owned.get(k);
    if (list) list.push(rs);
    else owned.set(k, [rs]);
  }
  for (const deployment of state.deployments.values()) {
    const ownedSets = owned.get(`${deployment.namespace}/${deployment.name}`) ?? [];
    const current =
      adoptedCurrent(deployment, ownedSets) ??
      ensureReplicaSet(state, deployment, podTemplateHash(deployment.template));
    if (current.replicas !== deployment.replicas) {
      current.replicas = deployment.replicas;
      touch(state);
    }
    for (const rs of ownedSets) {
      if (rs !== current && rs.replicas !== 0) {
        rs.replicas = 0;
        touch(state);
      }
    }
  }
}

/**
 * The owned ReplicaSet whose pod template equals the Deployment's apart from the
 * `pod-template-hash` label (deployment util FindNewReplicaSet, EqualIgnoreHash): a ReplicaSet read
 * from a cluster dump, named with the real cluster's hash, stays the Deployment's current one.
 */
function adoptedCurrent(deployment: Deployment, ownedSets: ReplicaSet[]): ReplicaSet | undefined {
  const candidates = ownedSets.filter((rs) => rs.origin.kind === 'manifest');
  if (!candidates.length) return undefined;
  const wanted = templateIgnoringHash(deployment.template);
  return candidates.find((rs) => templateIgnoringHash(rs.template) === wanted);
}

function templateIgnoringHash(template: PodTemplate): string {
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template.labels;
  return canonicalJson({ ...template, labels });
}

function ensureReplicaSet(state: ClusterState, deployment: Deployment, hash: string): ReplicaSet {
  const name = `${deployment.name}-${hash}`;
  const k = `${deployment.namespace}/${name}`;
  const existing = state.replicaSets.get(k);
  if (existing) return existing;
  const labels = { ...deployment.template.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    namespace: deployment.namespace,
    name,
    labels,
    annotations: { 'deployment.kubernetes.io/revision': String(deployment.revision) },
    createdSeq: nextSeq(state),
    origin: controllerOrigin('deployment-controller'),
    replicas: deployment.replicas,
    selector: {
      matchLabels: { ...deployment.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash },
      matchExpressions: deployment.selector.matchExpressions.map((e) => ({
        ...e,
        values: [...e.values],
      })),
    },
    template: { ...structuredClone(deployment.template), labels: { ...labels } },
    owner: { kind: 'Deployment', name: deployment.name },
    templateHash: hash,
  };
  state.replicaSets.set(k, rs);
  touch(state);
  return rs;
}
