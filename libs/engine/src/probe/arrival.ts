import type { NetworkEndpoint } from '../cni/network-endpoint';
import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { Node, Pod, Protocol } from '../model/resources';
import type { Backend, DropReason } from '../trace/trace-types';
import { LISTEN_PORTS_ANNOTATION, parseListenPorts } from '../manifests/listen-ports';

export type Arrival =
  | { verdict: 'delivered'; backend: Backend | null; reason: string; notes: string[] }
  | {
      verdict: 'refused' | 'timeout' | 'dropped';
      dropReason: DropReason | null;
      reason: string;
      notes: string[];
    };

/** Listeners every kubeadm node has on its own address (kubelet, kube-proxy health), plus the control plane's. */
const NODE_LISTENERS: {
  port: number;
  what: string;
  controlPlaneOnly?: boolean;
  staticPod?: string;
}[] = [
  { port: 6443, what: 'kube-apiserver', controlPlaneOnly: true, staticPod: 'kube-apiserver' },
  { port: 2379, what: 'etcd (client)', controlPlaneOnly: true, staticPod: 'etcd' },
  { port: 10250, what: 'kubelet' },
  { port: 10256, what: 'kube-proxy health check' },
];

const CONTAINER_PORT_NOTE = `containerPort is informational: a process may listen on a port its container does not declare. The engine assumes a pod that declares ports listens on those only, and a pod that declares none on any port; Cluster spec.listenPorts: any, or the pod annotation ${LISTEN_PORTS_ANNOTATION} ("any" or a list such as "8080,5353/UDP"), changes that.`;

/** Does something answer at the destination? The last step of a request. */
export function arrivalAt(
  state: ClusterState,
  target: NetworkEndpoint,
  port: number,
  protocol: Protocol,
  service: string | null,
): Arrival {
  switch (target.kind) {
    case 'pod':
      return atPod(state, target, port, protocol, service);
    case 'node':
      return atNode(state, target.node, port, protocol, service);
    case 'external':
      return atExternal(state, target.ip, port, protocol);
    default:
      return {
        verdict: 'dropped',
        dropReason: 'NO_ROUTE',
        reason: `nothing has the address ${target.ip}`,
        notes: [],
      };
  }
}

function atPod(
  state: ClusterState,
  { pod, node, ip }: { pod: Pod; node: Node; ip: string },
  port: number,
  protocol: Protocol,
  service: string | null,
): Arrival {
  const ref = `${pod.namespace}/${pod.name}`;
  const backend: Backend = {
    namespace: pod.namespace,
    pod: pod.name,
    ip,
    port,
    node: node.name,
    service,
  };
  if (pod.phase !== 'Running')
    return {
      verdict: 'dropped',
      dropReason: 'POD_NOT_RUNNING',
      reason: `pod ${ref} is ${pod.phase}`,
      notes: [],
    };
  const declared = pod.containers.flatMap((c) => c.ports.map((p) => ({ container: c.name, ...p })));
  const match = declared.find((p) => p.containerPort === port && p.protocol === protocol);
  if (match)
    return {
      verdict: 'delivered',
      backend,
      reason: `delivered to pod ${ref} (container ${match.container}, port ${port}/${protocol})`,
      notes: [],
    };
  const delivered = (why: string): Arrival => ({
    verdict: 'delivered',
    backend,
    reason: `delivered to pod ${ref} on ${port}/${protocol} (${why})`,
    notes: [CONTAINER_PORT_NOTE],
  });
  if (!declared.length) return delivered('no container declares ports; assumed to listen');
  const listen = listenAssumption(state, pod);
  const wanted = `${port}/${protocol}`;
  if (listen.extra.some((p) => p.port === port && p.protocol === protocol))
    return delivered(`no container declares ${wanted}; ${listen.source} lists it as listening`);
  if (listen.mode === 'any')
    return delivered(`no container declares ${wanted}; assumed to listen (${listen.source}: any)`);
  const list = declared.map((p) => `${p.containerPort}/${p.protocol}`).join(', ');
  return {
    verdict: 'refused',
    dropReason: 'PORT_UNREACHABLE',
    reason: `connection refused: no container of pod ${ref} declares ${wanted} (declared: ${list}); assuming nothing listens there (${listen.source}: declared)`,
    notes: [CONTAINER_PORT_NOTE],
  };
}

/** The pod's annotation when it is valid, else the Cluster's `spec.listenPorts`. */
function listenAssumption(
  state: ClusterState,
  pod: Pod,
): { mode: 'declared' | 'any'; extra: { port: number; protocol: Protocol }[]; source: string } {
  const annotation = pod.annotations[LISTEN_PORTS_ANNOTATION];
  const parsed = annotation === undefined ? null : parseListenPorts(annotation);
  if (parsed)
    return {
      mode: parsed.mode,
      extra: parsed.extra,
      source: `annotation ${LISTEN_PORTS_ANNOTATION}`,
    };
  return { mode: state.config.listenPorts, extra: [], source: 'Cluster spec.listenPorts' };
}

function atNode(
  state: ClusterState,
  node: Node,
  port: number,
  protocol: Protocol,
  service: string | null,
): Arrival {
  const hostPods = (clusterIndex(state).podsByIP.get(node.ip) ?? []).filter(
    (p) => p.hostNetwork && p.nodeName === node.name,
  );
  for (const pod of hostPods) {
    if (
      pod.containers.some((c) =>
        c.ports.some((p) => p.containerPort === port && p.protocol === protocol),
      )
    ) {
      return {
        verdict: 'delivered',
        backend: {
          namespace: pod.namespace,
          pod: pod.name,
          ip: node.ip,
          port,
          node: node.name,
          service,
        },
        reason: `delivered to hostNetwork pod ${pod.namespace}/${pod.name} on node ${node.name}`,
        notes: [],
      };
    }
  }
  const listener =
    protocol === 'TCP'
      ? NODE_LISTENERS.find(
          (l) => l.port === port && (!l.controlPlaneOnly || node.role === 'control-plane'),
        )
      : undefined;
  if (listener) {
    const backend = listener.staticPod
      ? {
          namespace: 'kube-system',
          pod: `${listener.staticPod}-${node.name}`,
          ip: node.ip,
          port,
          node: node.name,
          service,
        }
      : null;
    return {
      verdict: 'delivered',
      backend,
      reason: `delivered to ${listener.what} on node ${node.name} (${node.ip}:${port})`,
      notes: [
        'Node-level listeners (kube-apiserver, etcd, kubelet, kube-proxy health) are modelled from kubeadm defaults, not from manifests.',
      ],
    };
  }
  return {
    verdict: 'refused',
    dropReason: 'PORT_UNREACHABLE',
    reason: `connection refused: nothing listens on ${node.name} (${node.ip}) port ${port}/${protocol}`,
    notes: [],
  };
}

function atExternal(state: ClusterState, ip: string, port: number, protocol: Protocol): Arrival {
  const note =
    'The outside world is simulated: hosts of the upstream DNS zone answer on TCP 80 and 443, nothing else answers.';
  const host = [...state.config.upstreamZone, ...(state.config.externalZone ?? [])].find(
    (r) => r.type === 'A' && r.data === ip,
  );
  if (host && protocol === 'TCP' && (port === 80 || port === 443)) {
    return {
      verdict: 'delivered',
      backend: null,
      reason: `delivered to ${host.name} (${ip}:${port}) outside the cluster`,
      notes: [note],
    };
  }
  return {
    verdict: 'timeout',
    dropReason: null,
    reason: `no answer from ${ip}:${port}/${protocol} outside the cluster`,
    notes: [note],
  };
}
