/**
 * The simulated cluster's objects after defaulting and controller work: what the API server would
 * hold. Fields keep Kubernetes' names; only what networking needs is modelled.
 */
export type Labels = Record<string, string>;
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ObjectMeta {
  namespace: string;
  name: string;
  labels: Labels;
  annotations: Labels;
  /** Order of creation in the simulated API server; drives e.g. which Services a pod's env vars include. */
  createdSeq: number;
  /** Where the object came from: the user's input document, or the controller that made it. */
  origin: ObjectOrigin;
}

export type ObjectOrigin =
  | { kind: 'manifest'; doc: number; item?: number; file?: string }
  | { kind: 'controller'; controller: string }
  | { kind: 'builtin' };

/**
 * The managing controller (the ownerReference with `controller: true`). The engine runs the
 * Deployment, ReplicaSet, ReplicationController, StatefulSet and DaemonSet controllers; other owners read from a cluster
 * dump (a Job, a Node for static pods' mirror pods, a custom controller) are kept as given.
 */
export interface OwnerRef {
  kind: string;
  name: string;
  /** As given in the input's ownerReference; absent for the engine's own controllers. */
  apiVersion?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Node {
  name: string;
  ip: string;
  role: 'control-plane' | 'worker';
  labels: Labels;
  taints: Taint[];
  /** `kubectl cordon`: spec.unschedulable. */
  unschedulable: boolean;
  /** A failed node: NotReady, its pods are unreachable. */
  ready: boolean;
  podCIDR: string;
  createdSeq: number;
}

export interface Namespace {
  name: string;
  labels: Labels;
  createdSeq: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
  hostPort?: number;
}

export interface Container {
  name: string;
  image: string;
  ports: ContainerPort[];
}

export interface Toleration {
  key?: string;
  operator: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

export interface PodDnsConfig {
  nameservers: string[];
  searches: string[];
  options: { name: string; value?: string }[];
}

export interface PodTemplate {
  labels: Labels;
  annotations: Labels;
  containers: Container[];
  hostNetwork: boolean;
  dnsPolicy: DnsPolicy;
  dnsConfig?: PodDnsConfig;
  enableServiceLinks: boolean;
  nodeName?: string;
  nodeSelector: Labels;
  tolerations: Toleration[];
  hostname?: string;
  subdomain?: string;
  /** netplay extension (annotation `netplay.dev/ready: "false"`) or a readiness condition in status. */
  ready: boolean;
}

export interface Pod extends ObjectMeta, Omit<PodTemplate, 'labels' | 'annotations' | 'nodeName'> {
  uid: string;
  /** Empty when the pod could not be scheduled (Pending). */
  nodeName: string;
  ip: string;
  phase: 'Pending' | 'Running';
  /** Set once deleted while its endpoint still drains (metadata.deletionTimestamp). */
  terminating: boolean;
  owner?: OwnerRef;
  /** Why the scheduler left it Pending. */
  pendingReason?: string;
  /** status.hostIP of a pod read from a cluster dump, checked against its node's address. */
  hostIP?: string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServicePort {
  name?: string;
  protocol: Protocol;
  port: number;
  targetPort: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface Service extends ObjectMeta {
  type: ServiceType;
  /** `None` for headless; empty for ExternalName. */
  clusterIP: string;
  /** Absent selector: endpoints are managed by the user (manual EndpointSlices/Endpoints). */
  selector?: Labels;
  ports: ServicePort[];
  externalName?: string;
  externalIPs: string[];
  loadBalancerIP?: string;
  loadBalancerSourceRanges: string[];
  loadBalancerClass?: string;
  /**
   * LoadBalancer only (defaulted to true): false skips NodePort allocation for ports that name
   * none, for implementations that route to pods directly (KEP-1864).
   */
  allocateLoadBalancerNodePorts?: boolean;
  /** status.loadBalancer.ingress. Empty = `<pending>` for type LoadBalancer. */
  loadBalancerIngress: { ip?: string; hostname?: string }[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  sessionAffinity: 'None' | 'ClientIP';
  sessionAffinityTimeoutSeconds: number;
  publishNotReadyAddresses: boolean;
  ipFamilies: ('IPv4' | 'IPv6')[];
  trafficDistribution?: string;
}

export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions: EndpointConditions;
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: 'Pod'; namespace: string; name: string };
  /** Topology hints (`hints.forZones[].name`, `hints.forNodes[].name`); only user-written slices carry them here. */
  hints?: { forZones: string[]; forNodes: string[] };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: Protocol;
  appProtocol?: string;
}

export interface EndpointSlice extends ObjectMeta {
  serviceName: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: EndpointPort[];
  endpoints: Endpoint[];
  /** `endpointslice-controller.k8s.io` when derived from a selector; otherwise user-managed. */
  managedBy: string;
}

export interface Deployment extends ObjectMeta {
  replicas: number;
  selector: LabelSelector;
  template: PodTemplate;
  /** Bumped when the template changes, as status.collisionCount / revision would be. */
  revision: number;
}

export interface ReplicaSet extends ObjectMeta {
  replicas: number;
  selector: LabelSelector;
  template: PodTemplate;
  owner?: OwnerRef;
  /** The pod-template-hash label value (also the name suffix for Deployment-owned sets). */
  templateHash?: string;
}

/**
 * A v1 ReplicationController: the ReplicaSet's predecessor, same job (keep `replicas` pods of the
 * template), with an equality-only selector (held here as matchLabels) that defaults to the
 * template's labels. Its pods are `<name>-<5 random chars>`, owned by the controller itself.
 */
export type ReplicationController = Omit<ReplicaSet, 'owner' | 'templateHash'>;

export interface StatefulSet extends ObjectMeta {
  replicas: number;
  selector: LabelSelector;
  serviceName: string;
  template: PodTemplate;
}

export interface DaemonSet extends ObjectMeta {
  selector: LabelSelector;
  template: PodTemplate;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: LabelSelectorRequirement[];
}

/**
 * Any object the engine keeps as given: kinds handled by later stages (NetworkPolicy, Ingress,
 * Gateway API, MetalLB) and unknown kinds (reported as a warning).
 */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  doc: number;
  item?: number;
  file?: string;
  body: Record<string, unknown>;
}
