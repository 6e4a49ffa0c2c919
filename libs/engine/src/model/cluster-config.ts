/** Cluster-wide settings: what `kind: Cluster` (netplay.dev/v1alpha1) sets, with kubeadm/kind defaults. */
export type CniPlugin = 'kindnet' | 'flannel' | 'calico' | 'cilium';
/** calico: `bgp` (routes learned over BGP, no encapsulation) or `ipip`; cilium: `tunnel` (VXLAN) or `native`. */
export type CniMode = 'static-routes' | 'vxlan' | 'bgp' | 'ipip' | 'tunnel' | 'native';
export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables';
export type NodeRole = 'control-plane' | 'worker';

export interface NodeSpec {
  name: string;
  ip: string;
  role: NodeRole;
  labels?: Record<string, string>;
}

export interface UpstreamRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  data: string;
  ttl?: number;
}

/** `none` leaves LoadBalancer Services `<pending>`, as on bare metal without an implementation. */
export type LoadBalancerProvider =
  'none' | 'metallb' | 'servicelb' | 'cloud' | 'kube-vip' | 'openelb';

export interface LoadBalancerConfig {
  provider: LoadBalancerProvider;
  /** kube-vip's range (`range-global` of its ConfigMap) or the cloud provider's public range. */
  addresses: string[];
  /** cloud: NLB targets are the nodes' NodePorts (`instance`) or the pods directly (`ip`). */
  cloudTargets: 'instance' | 'ip';
  /** cloud: hand out hostnames (`a1b2c3.elb.example.com`) instead of IPs, as AWS ELB does. */
  cloudHostnames: boolean;
}

export interface ClusterConfig {
  name: string;
  nodes: NodeSpec[];
  podCIDR: string;
  /** Prefix length of each node's pod range carved from podCIDR (kube-controller-manager --node-cidr-mask-size, default 24). */
  nodeCIDRMaskSize: number;
  serviceCIDR: string;
  clusterDomain: string;
  cni: { plugin: CniPlugin; mode: CniMode };
  kubeProxy: { mode: KubeProxyMode; ipvsScheduler: string };
  nodePortRange: { from: number; to: number };
  seed: string;
  /** The node's own /etc/resolv.conf, which dnsPolicy Default copies and ClusterFirst appends search domains from. */
  nodeResolvConf: { nameservers: string[]; searches: string[]; options: string[] };
  /** Zone served by the resolver outside the cluster (CoreDNS `forward . /etc/resolv.conf`). */
  upstreamZone: UpstreamRecord[];
  externalClientIP: string;
  /** Public DNS zone outside the cluster that external clients query (Cluster doc `spec.externalDNS`). */
  externalZone?: UpstreamRecord[];
  /** Which LoadBalancer implementation runs (Cluster doc `spec.loadBalancer`); absent = none. */
  loadBalancer?: LoadBalancerConfig;
  /** Set when the input asked for something the engine parses but does not simulate (e.g. dual-stack). */
  unsupported: string[];
  /**
   * What listens in a pod that declares container ports (`spec.listenPorts`): `declared` (those
   * only) or `any`; a pod that declares none listens on any port either way. See manifests/listen-ports.ts.
   */
  listenPorts: 'declared' | 'any';
  /** Ingress controllers installed into the cluster (`spec.ingressControllers`); see ingress/controller-profiles.ts. */
  ingressControllers?: {
    profile: IngressProfileName;
    serviceType: 'NodePort' | 'LoadBalancer';
    /**
     * Set when the controller was found installed in the input (a cluster dump) rather than asked
     * for: nothing is installed, and its pods and Service are the input's, in this namespace.
     */
    found?: { namespace: string; service: string };
  }[];
}

/** The ingress controllers the engine has a profile for, in the order error messages list them. */
export const INGRESS_PROFILE_NAMES = ['nginx', 'traefik', 'haproxy'] as const;
export type IngressProfileName = (typeof INGRESS_PROFILE_NAMES)[number];

export const DEFAULT_UPSTREAM_ZONE: UpstreamRecord[] = [
  { name: 'example.com', type: 'A', data: '93.184.215.14', ttl: 300 },
  { name: 'example.com', type: 'AAAA', data: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', ttl: 300 },
  { name: 'www.example.com', type: 'CNAME', data: 'example.com', ttl: 300 },
  { name: 'example.org', type: 'A', data: '93.184.215.15', ttl: 300 },
  { name: 'kubernetes.io', type: 'A', data: '147.75.40.148', ttl: 300 },
  { name: 'registry.k8s.io', type: 'A', data: '34.96.108.209', ttl: 300 },
  { name: 'api.github.com', type: 'A', data: '140.82.112.6', ttl: 60 },
];

export function defaultClusterConfig(): ClusterConfig {
  return {
    name: 'kind',
    nodes: [
      { name: 'control-plane', ip: '172.18.0.2', role: 'control-plane' },
      { name: 'worker', ip: '172.18.0.3', role: 'worker' },
      { name: 'worker2', ip: '172.18.0.4', role: 'worker' },
    ],
    podCIDR: '10.244.0.0/16',
    nodeCIDRMaskSize: 24,
    serviceCIDR: '10.96.0.0/16',
    clusterDomain: 'cluster.local',
    cni: { plugin: 'kindnet', mode: 'static-routes' },
    kubeProxy: { mode: 'iptables', ipvsScheduler: 'rr' },
    nodePortRange: { from: 30000, to: 32767 },
    seed: 'netplay',
    nodeResolvConf: { nameservers: ['172.18.0.1'], searches: ['localdomain'], options: [] },
    upstreamZone: DEFAULT_UPSTREAM_ZONE.map((r) => ({ ...r })),
    externalClientIP: '203.0.113.10',
    unsupported: [],
    listenPorts: 'declared',
  };
}
