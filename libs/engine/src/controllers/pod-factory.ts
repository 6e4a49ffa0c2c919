import type { ClusterState } from '../model/cluster-state';
import type { OwnerRef, Pod, PodTemplate } from '../model/resources';
import { drawSafeString } from '../util/rng';
import { controllerOrigin } from './defaults';
import { drawFromStream, nextSeq, touch } from './new-state';
import { uidFor } from './pod-uid';

/** generateName keeps at most 58 characters of the prefix so the 5 random ones fit in 63 (apiserver names.go). */
const MAX_GENERATE_NAME_PREFIX = 58;

/**
 * `<prefix><5 random chars>` not yet taken in `namespace`, as names.SimpleNameGenerator makes them,
 * drawn from the stream of that prefix in that namespace: a ReplicaSet's pods get the same names
 * whatever else the cluster holds.
 */
export function generateName(
  state: ClusterState,
  namespace: string,
  taken: (name: string) => boolean,
  prefix: string,
): string {
  const base =
    prefix.length > MAX_GENERATE_NAME_PREFIX ? prefix.slice(0, MAX_GENERATE_NAME_PREFIX) : prefix;
  return drawFromStream(state, `names:${namespace}/${base}`, (source) => {
    for (;;) {
      const name = base + drawSafeString(source, 5);
      if (!taken(name)) return name;
    }
  });
}

export function generatePodName(state: ClusterState, namespace: string, prefix: string): string {
  return generateName(state, namespace, (name) => state.pods.has(`${namespace}/${name}`), prefix);
}

export interface PodCreation {
  namespace: string;
  name: string;
  template: PodTemplate;
  owner: OwnerRef;
  controller: string;
  labels?: Record<string, string>;
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
}

/** A pod as its controller creates it: Pending, not yet scheduled unless `nodeName` is set, no IP. */
export function createPod(state: ClusterState, creation: PodCreation): Pod {
  const { template } = creation;
  const seq = nextSeq(state);
  const pod: Pod = {
    namespace: creation.namespace,
    name: creation.name,
    labels: { ...template.labels, ...creation.labels },
    annotations: { ...template.annotations },
    createdSeq: seq,
    origin: controllerOrigin(creation.controller),
    uid: uidFor(state, creation.namespace, creation.name),
    containers: template.containers.map((c) => ({ ...c, ports: c.ports.map((p) => ({ ...p })) })),
    hostNetwork: template.hostNetwork,
    dnsPolicy: template.dnsPolicy,
    ...(template.dnsConfig ? { dnsConfig: structuredClone(template.dnsConfig) } : {}),
    enableServiceLinks: template.enableServiceLinks,
    nodeSelector: { ...template.nodeSelector },
    tolerations: template.tolerations.map((t) => ({ ...t })),
    ...((creation.hostname ?? template.hostname)
      ? { hostname: creation.hostname ?? template.hostname }
      : {}),
    ...((creation.subdomain ?? template.subdomain)
      ? { subdomain: creation.subdomain ?? template.subdomain }
      : {}),
    ready: template.ready,
    nodeName: creation.nodeName ?? template.nodeName ?? '',
    ip: '',
    phase: 'Pending',
    terminating: false,
    owner: { ...creation.owner },
  };
  state.pods.set(`${pod.namespace}/${pod.name}`, pod);
  touch(state);
  return pod;
}

export function deletePod(state: ClusterState, pod: Pod): void {
  state.pods.delete(`${pod.namespace}/${pod.name}`);
  touch(state);
}

/** Pods grouped by `Kind/namespace/name` of their owner, built once per reconcile pass. */
export function podsByOwner(state: ClusterState): Map<string, Pod[]> {
  const byOwner = new Map<string, Pod[]>();
  for (const pod of state.pods.values()) {
    if (!pod.owner) continue;
    const k = ownerKey(pod.owner.kind, pod.namespace, pod.owner.name);
    const list = byOwner.get(k);
    if (list) list.push(pod);
    else byOwner.set(k, [pod]);
  }
  return byOwner;
}

export function ownerKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** Readiness as the endpoints see it: the node lifecycle controller marks pods on a NotReady node not ready (MarkPodsNotReady). */
export function effectivelyReady(state: ClusterState, pod: Pod): boolean {
  if (!pod.ready || !pod.ip) return false;
  const node = state.nodes.get(pod.nodeName);
  return !node || node.ready;
}
