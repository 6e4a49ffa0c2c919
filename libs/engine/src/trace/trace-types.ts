/**
 * The stable result contract of probes. Other programs depend on these names: change them only
 * with a schema version bump (`libs/engine/schema/trace.schema.json`).
 */
import type { Protocol } from '../model/resources';

export type Verdict = 'delivered' | 'refused' | 'dropped' | 'unresolved' | 'timeout';

/** Hubble's drop reason names where one fits (flow.proto DropReason), ours otherwise. */
export const DROP_REASONS = {
  POLICY_DENIED: 'A NetworkPolicy (or admin policy) denied the packet.',
  NO_ENDPOINTS: 'The Service has no ready endpoints; kube-proxy rejects the connection.',
  NXDOMAIN: 'The name does not exist (every search candidate answered NXDOMAIN or NODATA).',
  NO_ROUTE: 'No route to the destination address.',
  TTL_EXCEEDED: 'The packet looped until its TTL ran out.',
  PORT_UNREACHABLE: 'Nothing listens on the destination port (connection refused).',
  SERVICE_PORT_NOT_FOUND:
    'The Service has no port matching this port and protocol; kube-proxy rejects it.',
  UNALLOCATED_SERVICE_IP: 'The address is inside the service CIDR but no Service owns it.',
  NODE_NOT_READY: 'The destination is on a node that is down.',
  POD_NOT_RUNNING: 'The destination pod is not running (Pending or has no IP).',
  NO_LOCAL_ENDPOINTS:
    'Traffic policy Local and no ready endpoint on this node; kube-proxy drops it.',
  DENIED_BY_LB_SRC_RANGE_CHECK: 'The client is outside loadBalancerSourceRanges.',
  DNS_UNREACHABLE: 'The DNS query could not reach a nameserver.',
  EXTERNAL_NAME_SERVICE: 'An ExternalName Service has no IP of its own; only DNS answers for it.',
  UNSUPPORTED: 'The engine does not simulate this case; see the reason.',
} as const;
export type DropReason = keyof typeof DROP_REASONS;

/** Where on the path a packet was observed (Hubble's trace_observation_point where one fits). */
export type ObservationPoint =
  | 'FROM_ENDPOINT'
  | 'TO_ENDPOINT'
  | 'TO_STACK'
  | 'FROM_STACK'
  | 'TO_HOST'
  | 'FROM_HOST'
  | 'TO_OVERLAY'
  | 'FROM_OVERLAY'
  | 'TO_NETWORK'
  | 'FROM_NETWORK'
  | 'TO_PROXY'
  | 'FROM_PROXY';

export type HopComponent =
  | 'application'
  | 'resolver'
  | 'coredns'
  | 'upstream-dns'
  | 'pod-netns'
  | 'loopback'
  | 'veth'
  | 'bridge'
  | 'node-netns'
  | 'route'
  | 'vxlan'
  | 'ipip'
  | 'ebpf'
  | 'kube-proxy'
  | 'conntrack'
  | 'snat'
  | 'bandwidth'
  | 'network-policy'
  | 'underlay'
  | 'external-network'
  | 'load-balancer'
  | 'ingress-controller'
  | 'port-forward';

export interface PacketEndpoint {
  ip: string;
  port?: number;
}

export interface Packet {
  protocol: Protocol | 'ICMP';
  src: PacketEndpoint;
  dst: PacketEndpoint;
  /** The outer header when the packet travels encapsulated (VXLAN UDP 8472, IPIP, Geneve). */
  outer?: { protocol: 'UDP' | 'IPIP'; src: string; dst: string; dstPort?: number; vni?: number };
}

export interface Hop {
  /** 1-based position in the whole trace (request then reply). */
  seq: number;
  direction: 'request' | 'reply';
  component: HopComponent;
  observationPoint: ObservationPoint;
  /** Node whose network stack this hop runs in; null outside the cluster. */
  node: string | null;
  /** Interface or chain name when it helps (`eth0`, `veth1a2b3c`, `cni0`, `KUBE-SVC-…`). */
  interface?: string;
  packet: Packet;
  description: string;
  /** Machine-readable facts of this hop (rule names, probabilities, policy names …). */
  details?: Record<string, unknown>;
}

export interface DnsAnswer {
  name: string;
  type: DnsRecordType;
  ttl: number;
  data: string;
}

export type DnsRecordType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' | 'SOA';
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsQueryRecord {
  name: string;
  type: DnsRecordType;
  rcode: Rcode | 'TIMEOUT';
  answers: DnsAnswer[];
  /** Which server answered: `coredns` (cluster zone), `upstream`, or a custom nameserver. */
  server?: string;
}

export interface Backend {
  namespace: string;
  pod: string;
  ip: string;
  port: number;
  node: string;
  service: string | null;
}

/** The HTTP answer when a proxy (ingress controller, Gateway) handled the request. */
export interface HttpResult {
  status: number;
  statusText: string;
  /** `namespace/pod` that produced the answer: the backend pod, or the proxy itself for 404/503/redirects. */
  servedBy: string;
  /** Redirect target. */
  location?: string;
}

export interface ProbeTrace {
  kind: 'probe';
  request: { from: string; to: string; protocol: Protocol };
  verdict: Verdict;
  reason: string;
  dropReason: DropReason | null;
  dns: DnsQueryRecord[];
  backend: Backend | null;
  hops: Hop[];
  /** What the engine simplified on this path (a simulator must say where it is not exact). */
  notes: string[];
  /** Set when an ingress controller or Gateway answered at the HTTP level. */
  http?: HttpResult;
}

export interface DnsTrace {
  kind: 'dns';
  request: { from: string; name: string; type: DnsRecordType };
  verdict: 'resolved' | 'unresolved';
  reason: string;
  queries: DnsQueryRecord[];
  answers: DnsAnswer[];
  hops: Hop[];
  notes: string[];
}
