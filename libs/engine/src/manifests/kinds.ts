/** How the engine treats each kind it recognises. */
export type KindHandling = 'read' | 'store' | 'quiet';

export interface KindInfo {
  /** The apiVersions the engine accepts for this kind (group/version as the API server serves it). */
  apiVersions: readonly string[];
  namespaced: boolean;
  /** `read`: validated into typed objects; `store`: kept for later stages; `quiet`: kept, irrelevant to networking. */
  handling: KindHandling;
}

const kinds: Record<string, KindInfo> = {
  Namespace: { apiVersions: ['v1'], namespaced: false, handling: 'read' },
  Node: { apiVersions: ['v1'], namespaced: false, handling: 'read' },
  Pod: { apiVersions: ['v1'], namespaced: true, handling: 'read' },
  Service: { apiVersions: ['v1'], namespaced: true, handling: 'read' },
  Endpoints: { apiVersions: ['v1'], namespaced: true, handling: 'read' },
  EndpointSlice: { apiVersions: ['discovery.k8s.io/v1'], namespaced: true, handling: 'read' },
  Deployment: { apiVersions: ['apps/v1'], namespaced: true, handling: 'read' },
  ReplicaSet: { apiVersions: ['apps/v1'], namespaced: true, handling: 'read' },
  ReplicationController: { apiVersions: ['v1'], namespaced: true, handling: 'read' },
  StatefulSet: { apiVersions: ['apps/v1'], namespaced: true, handling: 'read' },
  DaemonSet: { apiVersions: ['apps/v1'], namespaced: true, handling: 'read' },
  Cluster: { apiVersions: ['netplay.dev/v1alpha1'], namespaced: false, handling: 'read' },
  NetworkPolicy: { apiVersions: ['networking.k8s.io/v1'], namespaced: true, handling: 'store' },
  Ingress: { apiVersions: ['networking.k8s.io/v1'], namespaced: true, handling: 'store' },
  IngressClass: { apiVersions: ['networking.k8s.io/v1'], namespaced: false, handling: 'store' },
  AdminNetworkPolicy: {
    apiVersions: ['policy.networking.k8s.io/v1alpha1'],
    namespaced: false,
    handling: 'store',
  },
  BaselineAdminNetworkPolicy: {
    apiVersions: ['policy.networking.k8s.io/v1alpha1'],
    namespaced: false,
    handling: 'store',
  },
  ClusterNetworkPolicy: {
    apiVersions: ['policy.networking.k8s.io/v1alpha2'],
    namespaced: false,
    handling: 'store',
  },
  GatewayClass: {
    apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
    namespaced: false,
    handling: 'store',
  },
  Gateway: {
    apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
    namespaced: true,
    handling: 'store',
  },
  HTTPRoute: {
    apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
    namespaced: true,
    handling: 'store',
  },
  IPAddressPool: { apiVersions: ['metallb.io/v1beta1'], namespaced: true, handling: 'store' },
  L2Advertisement: { apiVersions: ['metallb.io/v1beta1'], namespaced: true, handling: 'store' },
  BGPAdvertisement: { apiVersions: ['metallb.io/v1beta1'], namespaced: true, handling: 'store' },
  // MetalLB serves BGPPeer as v1beta2 (v1beta1 is still served for old manifests).
  BGPPeer: {
    apiVersions: ['metallb.io/v1beta2', 'metallb.io/v1beta1'],
    namespaced: true,
    handling: 'store',
  },
  Eip: { apiVersions: ['network.kubesphere.io/v1alpha2'], namespaced: false, handling: 'store' },
  ...quietKinds(),
};

/**
 * Kinds with no network meaning that a cluster dump or an install manifest carries: kept as given,
 * summarised in one line per kind (`readManifests`), never simulated.
 */
function quietKinds(): Record<string, KindInfo> {
  const groups: [string, boolean, string[]][] = [
    ['v1', true, ['ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'LimitRange']],
    ['v1', true, ['ResourceQuota', 'Event', 'PodTemplate']],
    ['v1', false, ['PersistentVolume', 'ComponentStatus']],
    ['rbac.authorization.k8s.io/v1', true, ['Role', 'RoleBinding']],
    ['rbac.authorization.k8s.io/v1', false, ['ClusterRole', 'ClusterRoleBinding']],
    ['apiextensions.k8s.io/v1', false, ['CustomResourceDefinition']],
    ['apiregistration.k8s.io/v1', false, ['APIService']],
    ['batch/v1', true, ['Job', 'CronJob']],
    ['apps/v1', true, ['ControllerRevision']],
    ['coordination.k8s.io/v1', true, ['Lease']],
    ['policy/v1', true, ['PodDisruptionBudget']],
    ['autoscaling/v2', true, ['HorizontalPodAutoscaler']],
    ['scheduling.k8s.io/v1', false, ['PriorityClass']],
    ['storage.k8s.io/v1', false, ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment']],
    ['node.k8s.io/v1', false, ['RuntimeClass']],
    ['events.k8s.io/v1', true, ['Event']],
    ['flowcontrol.apiserver.k8s.io/v1', false, ['FlowSchema', 'PriorityLevelConfiguration']],
    [
      'admissionregistration.k8s.io/v1',
      false,
      ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    ],
    ['certificates.k8s.io/v1', false, ['CertificateSigningRequest']],
  ];
  const out: Record<string, KindInfo> = {};
  for (const [apiVersion, namespaced, names] of groups)
    for (const name of names) {
      const known = out[name];
      out[name] = {
        apiVersions: known ? [...known.apiVersions, apiVersion] : [apiVersion],
        namespaced,
        handling: 'quiet',
      };
    }
  // autoscaling/v1 is still served for HorizontalPodAutoscaler; batch/v1beta1 CronJobs are gone since 1.25.
  out.HorizontalPodAutoscaler.apiVersions = ['autoscaling/v2', 'autoscaling/v1'];
  return out;
}

export function kindInfo(kind: string): KindInfo | undefined {
  return Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
}
