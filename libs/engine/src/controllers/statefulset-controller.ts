import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import { createPod, deletePod, ownerKey } from './pod-factory';
import { podTemplateHash } from './pod-template-hash';

/**
 * StatefulSet → pods `<name>-0 … <name>-(n-1)` with hostname = pod name and subdomain = spec.serviceName,
 * so the governing headless Service gives each a DNS name. Scale-down removes the highest ordinal first.
 * Simplification: OrderedReady would create one pod at a time, waiting for the previous to be
 * Ready; the engine creates them all in one pass (the end state is the same).
 */
export function syncStatefulSets(state: ClusterState, byOwner: Map<string, Pod[]>): void {
  for (const sts of state.statefulSets.values()) {
    const owned = byOwner.get(ownerKey('StatefulSet', sts.namespace, sts.name)) ?? [];
    for (const pod of owned) {
      const ordinal = ordinalOf(sts.name, pod.name);
      if (ordinal === null || ordinal >= sts.replicas) deletePod(state, pod);
    }
    // controller-revision-hash names the ControllerRevision; the engine derives it from the template.
    const revision = `${sts.name}-${podTemplateHash(sts.template)}`;
    for (let i = 0; i < sts.replicas; i++) {
      const name = `${sts.name}-${i}`;
      if (state.pods.has(`${sts.namespace}/${name}`)) continue;
      createPod(state, {
        namespace: sts.namespace,
        name,
        template: sts.template,
        owner: { kind: 'StatefulSet', name: sts.name },
        controller: 'statefulset-controller',
        labels: {
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': name,
        },
        hostname: name,
        subdomain: sts.serviceName || undefined,
      });
    }
  }
}

function ordinalOf(setName: string, podName: string): number | null {
  if (!podName.startsWith(`${setName}-`)) return null;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : null;
}
