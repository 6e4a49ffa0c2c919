import type { ClusterState } from '../model/cluster-state';
import type {
  DaemonSet,
  Deployment,
  LabelSelector,
  PodTemplate,
  ReplicaSet,
  ReplicationController,
  StatefulSet,
  EndpointSlice,
  Namespace,
  Node,
  ObjectMeta,
  Pod,
  Service,
} from '../model/resources';
import { NODE_INFO } from './node-facts';

/** A JSON object as `kubectl get -o json` would print it. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
} & Record<string, unknown>;

/**
 * The engine's objects in the API server's shape (apiVersion/kind/metadata/spec/status). Only the
 * fields the engine models appear; creationTimestamp is left out because the engine has no clock.
 */
export function toKubernetesObject(
  state: ClusterState,
  object:
    | { kind: 'Pod'; value: Pod }
    | { kind: 'Service'; value: Service }
    | { kind: 'EndpointSlice'; value: EndpointSlice }
    | { kind: 'Node'; value: Node }
    | { kind: 'Deployment'; value: Deployment }
    | { kind: 'StatefulSet'; value: StatefulSet }
    | { kind: 'ReplicaSet'; value: ReplicaSet }
    | { kind: 'ReplicationController'; value: ReplicationController }
    | { kind: 'DaemonSet'; value: DaemonSet }
    | { kind: 'Namespace'; value: Namespace },
): KubernetesObject {
  switch (object.kind) {
    case 'Pod':
      return podObject(state, object.value);
    case 'Service':
      return serviceObject(object.value);
    case 'EndpointSlice':
      return endpointSliceObject(object.value);
    case 'Node':
      return nodeObject(object.value);
    case 'Deployment':
      return deploymentObject(object.value);
    case 'StatefulSet': {
      const s = object.value;
      const spec = { replicas: s.replicas, serviceName: s.serviceName };
      return workloadObject('StatefulSet', s, spec, s.selector, s.template);
    }
    case 'ReplicaSet': {
      const rs = object.value;
      return workloadObject('ReplicaSet', rs, { replicas: rs.replicas }, rs.selector, rs.template);
    }
    case 'ReplicationController': {
      // core/v1: apiVersion v1 and a plain-map selector.
      const rc = object.value;
      const body = workloadObject('ReplicationController', rc, {}, rc.selector, rc.template);
      const spec = { ...(body.spec as Record<string, unknown>), selector: rc.selector.matchLabels };
      return { ...body, apiVersion: 'v1', spec: { replicas: rc.replicas, ...spec } };
    }
    case 'DaemonSet':
      return workloadObject(
        'DaemonSet',
        object.value,
        {},
        object.value.selector,
        object.value.template,
      );
    case 'Namespace':
      return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: compact({ name: object.value.name, labels: nonEmpty(object.value.labels) }),
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      };
  }
}

/** `kubectl get -o json` of several objects: a v1 List. */
export function toKubernetesList(items: KubernetesObject[]): KubernetesObject {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}

function metadata(meta: ObjectMeta, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return compact({
    name: meta.name,
    namespace: meta.namespace,
    labels: nonEmpty(meta.labels),
    annotations: nonEmpty(meta.annotations),
    resourceVersion: String(meta.createdSeq),
    ...extra,
  });
}

function podObject(state: ClusterState, pod: Pod): KubernetesObject {
  const ready = pod.phase === 'Running' && pod.ready ? 'True' : 'False';
  const node = state.nodes.get(pod.nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: metadata(pod, {
      uid: pod.uid,
      ownerReferences: pod.owner
        ? [
            {
              apiVersion: pod.owner.apiVersion ?? 'apps/v1',
              kind: pod.owner.kind,
              name: pod.owner.name,
              controller: true,
              blockOwnerDeletion: true,
            },
          ]
        : undefined,
    }),
    spec: compact({
      containers: pod.containers.map((c) =>
        compact({
          name: c.name,
          image: c.image,
          ports: c.ports.length ? c.ports.map((p) => compact({ ...p })) : undefined,
        }),
      ),
      dnsPolicy: pod.dnsPolicy,
      dnsConfig: pod.dnsConfig,
      enableServiceLinks: pod.enableServiceLinks,
      hostNetwork: pod.hostNetwork || undefined,
      hostname: pod.hostname,
      subdomain: pod.subdomain,
      nodeName: pod.nodeName || undefined,
      nodeSelector: nonEmpty(pod.nodeSelector),
      tolerations: pod.tolerations.length ? pod.tolerations : undefined,
    }),
    status: compact({
      phase: pod.phase,
      conditions: [
        {
          type: 'PodScheduled',
          status: pod.nodeName ? 'True' : 'False',
          reason: pod.nodeName ? undefined : 'Unschedulable',
          message: pod.pendingReason,
        },
        { type: 'Ready', status: ready },
      ].map(compact),
      hostIP: node?.ip,
      podIP: pod.ip || undefined,
      podIPs: pod.ip ? [{ ip: pod.ip }] : undefined,
    }),
  };
}

function serviceObject(svc: Service): KubernetesObject {
  const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  const ingress = svc.loadBalancerIngress.map((i) => compact({ ...i }));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(svc),
    spec: compact({
      type: svc.type,
      clusterIP: svc.clusterIP || undefined,
      clusterIPs: svc.clusterIP ? [svc.clusterIP] : undefined,
      externalName: svc.externalName,
      externalIPs: svc.externalIPs.length ? svc.externalIPs : undefined,
      selector: svc.selector && Object.keys(svc.selector).length ? svc.selector : undefined,
      ports: svc.ports.length ? svc.ports.map((p) => compact({ ...p })) : undefined,
      sessionAffinity: svc.sessionAffinity,
      externalTrafficPolicy: external ? svc.externalTrafficPolicy : undefined,
      internalTrafficPolicy: svc.type === 'ExternalName' ? undefined : svc.internalTrafficPolicy,
      healthCheckNodePort: svc.healthCheckNodePort,
      loadBalancerIP: svc.loadBalancerIP,
      loadBalancerSourceRanges: svc.loadBalancerSourceRanges.length
        ? svc.loadBalancerSourceRanges
        : undefined,
      loadBalancerClass: svc.loadBalancerClass,
      publishNotReadyAddresses: svc.publishNotReadyAddresses || undefined,
      ipFamilies: svc.type === 'ExternalName' ? undefined : svc.ipFamilies,
      ipFamilyPolicy: svc.type === 'ExternalName' ? undefined : 'SingleStack',
      trafficDistribution: svc.trafficDistribution,
    }),
    status: { loadBalancer: ingress.length ? { ingress } : {} },
  };
}

function endpointSliceObject(slice: EndpointSlice): KubernetesObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: metadata(slice),
    addressType: slice.addressType,
    endpoints: slice.endpoints.map((e) =>
      compact({
        addresses: e.addresses,
        conditions: e.conditions,
        hostname: e.hostname,
        nodeName: e.nodeName,
        targetRef: e.targetRef,
        zone: e.zone,
      }),
    ),
    ports: slice.ports.map((p) => compact({ ...p })),
  };
}

function nodeObject(node: Node): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: compact({
      name: node.name,
      labels: nonEmpty(node.labels),
      resourceVersion: String(node.createdSeq),
    }),
    spec: compact({
      podCIDR: node.podCIDR,
      podCIDRs: [node.podCIDR],
      taints: node.taints.length ? node.taints : undefined,
      unschedulable: node.unschedulable || undefined,
    }),
    status: {
      addresses: [
        { type: 'InternalIP', address: node.ip },
        { type: 'Hostname', address: node.name },
      ],
      conditions: [
        {
          type: 'Ready',
          status: node.ready ? 'True' : 'Unknown',
          reason: node.ready ? 'KubeletReady' : 'NodeStatusUnknown',
        },
      ],
      nodeInfo: { ...NODE_INFO },
    },
  };
}

function deploymentObject(d: Deployment): KubernetesObject {
  return workloadObject('Deployment', d, { replicas: d.replicas }, d.selector, d.template);
}

/** Deployments, StatefulSets, ReplicaSets and DaemonSets: apps/v1, selector and pod template. */
function workloadObject(
  kind: string,
  meta: ObjectMeta,
  extraSpec: Record<string, unknown>,
  selector: LabelSelector,
  template: PodTemplate,
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: metadata(meta),
    spec: {
      ...extraSpec,
      selector: compact({
        matchLabels: nonEmpty(selector.matchLabels),
        matchExpressions: selector.matchExpressions.length ? selector.matchExpressions : undefined,
      }),
      template: {
        metadata: compact({
          labels: nonEmpty(template.labels),
          annotations: nonEmpty(template.annotations),
        }),
        spec: {
          containers: template.containers.map((c) =>
            compact({ name: c.name, image: c.image, ports: c.ports.length ? c.ports : undefined }),
          ),
        },
      },
    },
  };
}

/** Go's `omitempty`: drop undefined fields so the output looks like the API server's. */
function compact<T extends object>(value: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out;
}

function nonEmpty(map: Record<string, string> | undefined): Record<string, string> | undefined {
  return map && Object.keys(map).length ? map : undefined;
}
