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
  ConfigMap: { apiVersions: ['v1'], namespaced: true, handling: 'quiet' },
  Secret: { apiVersions: ['v1'], namespaced: true, handling: 'quiet' },
  ServiceAccount: { apiVersions: ['v1'], namespaced: true, handling: 'quiet' },
};

export function kindInfo(kind: string): KindInfo | undefined {
  return Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
}
