import { type HopDraft, hop } from '../trace/hop-draft';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import type { DropReason, Packet } from '../trace/trace-types';
import { clusterIndex } from '../model/lookup';
import { forwardFromNode } from '../cni/pod-network-path';
import { nodesWithReadyEndpoints } from '../load-balancer/announcement';
import { kubeProxyHash } from '../util/hash';

export interface LocalOutcome {
  verdict: 'delivered' | 'dropped';
  reason: string;
  dropReason: DropReason | null;
}

export type NodeLocalStep =
  /** kube-proxy's health server answered on a healthCheckNodePort, or the way to that node failed. */
  | { kind: 'final'; hops: HopDraft[]; outcome: LocalOutcome }
  /**
   * The portmap CNI plugin on `node` translated a hostPort to the pod. `before` is the packet as it
   * reached that node; `legNat` the SNAT on the way there, if any.
   */
  | {
      kind: 'dnat';
      hops: HopDraft[];
      node: Node;
      before: Packet;
      packet: Packet;
      pod: Pod;
      legNat?: { original: Packet; translated: Packet };
    };

type LocalAnswer =
  | { kind: 'answered'; hop: HopDraft; reason: string }
  | { kind: 'dnat'; hop: HopDraft; packet: Packet; pod: Pod };

/**
 * The same for a packet addressed to any node: when the address is another node's, the packet
 * first travels there (routing, masquerade) and that node's rules apply.
 */
export function nodeLocalStep(
  state: ClusterState,
  node: Node,
  packet: Packet,
): NodeLocalStep | null {
  const target = clusterIndex(state).nodesByIP.get(packet.dst.ip);
  if (!target) return null;
  const answer = atNodeAddress(state, target, packet);
  if (!answer) return null;
  let hops: HopDraft[] = [];
  let arriving = packet;
  let legNat: { original: Packet; translated: Packet } | undefined;
  if (target.name !== node.name) {
    const leg = forwardFromNode(state, node, { kind: 'node', ip: target.ip, node: target }, packet);
    hops = leg.hops;
    if (leg.outcome.kind === 'dropped')
      return {
        kind: 'final',
        hops,
        outcome: {
          verdict: 'dropped',
          reason: leg.outcome.reason,
          dropReason: leg.outcome.dropReason,
        },
      };
    if (leg.snatIP) legNat = { original: packet, translated: leg.packet };
    arriving = leg.packet;
  }
  // Recompute on the arriving packet so the DNAT keeps any source translation of the way there.
  const final =
    target.name === node.name ? answer : (atNodeAddress(state, target, arriving) ?? answer);
  if (final.kind === 'answered')
    return {
      kind: 'final',
      hops: [...hops, final.hop],
      outcome: { verdict: 'delivered', reason: final.reason, dropReason: null },
    };
  return {
    kind: 'dnat',
    hops: [...hops, final.hop],
    node: target,
    before: arriving,
    packet: final.packet,
    pod: final.pod,
    legNat,
  };
}

/**
 * What a node does with a packet for its own address that kube-proxy's Service rules did not take:
 * kube-proxy's health server on a healthCheckNodePort, or the portmap plugin's hostPort DNAT
 * (CNI-HOSTPORT-DNAT, hooked into PREROUTING and OUTPUT for `--dst-type LOCAL`). Null: neither.
 */
function atNodeAddress(state: ClusterState, node: Node, packet: Packet): LocalAnswer | null {
  if (packet.dst.ip !== node.ip || packet.dst.port === undefined || packet.protocol === 'ICMP')
    return null;
  const port = packet.dst.port;
  if (packet.protocol === 'TCP') {
    const svc = [...state.services.values()].find((s) => s.healthCheckNodePort === port);
    if (svc)
      return healthCheck(
        state,
        node,
        packet,
        svc.namespace,
        svc.name,
        nodesWithReadyEndpoints(state, svc).has(node.name)
          ? countLocal(state, svc.namespace, svc.name, node.name)
          : 0,
      );
  }
  for (const pod of state.pods.values()) {
    if (pod.nodeName !== node.name || pod.hostNetwork || !pod.ip || pod.terminating) continue;
    for (const c of pod.containers) {
      const mapping = c.ports.find((p) => p.hostPort === port && p.protocol === packet.protocol);
      if (!mapping) continue;
      const after: Packet = { ...packet, dst: { ip: pod.ip, port: mapping.containerPort } };
      const chain = `CNI-DN-${kubeProxyHash(`${pod.namespace}/${pod.name}`).slice(0, 12)}`;
      const rule = `-A ${chain} -p ${packet.protocol.toLowerCase()} -m ${packet.protocol.toLowerCase()} --dport ${port} -j DNAT --to-destination ${pod.ip}:${mapping.containerPort}`;
      const description = `the portmap CNI plugin on ${node.name} DNATs hostPort ${port}/${packet.protocol} to pod ${pod.namespace}/${pod.name} (${pod.ip}:${mapping.containerPort}); hostPorts exist only on the pod's own node`;
      return {
        kind: 'dnat',
        packet: after,
        pod,
        hop: hop({
          component: 'snat',
          observationPoint: 'TO_STACK',
          node: node.name,
          interface: 'CNI-HOSTPORT-DNAT',
          packet: after,
          description,
          details: {
            plugin: 'portmap',
            hostPort: port,
            dnatFrom: `${packet.dst.ip}:${port}`,
            dnatTo: `${pod.ip}:${mapping.containerPort}`,
            rules: [
              '-A CNI-HOSTPORT-DNAT -m comment --comment "dnat name: \\"cni0\\"" -j ' + chain,
              rule,
            ],
          },
        }),
      };
    }
  }
  return null;
}

function countLocal(
  state: ClusterState,
  namespace: string,
  name: string,
  nodeName: string,
): number {
  let n = 0;
  for (const slice of state.endpointSlices.values()) {
    if (slice.namespace !== namespace || slice.serviceName !== name) continue;
    for (const ep of slice.endpoints) if (ep.conditions.ready && ep.nodeName === nodeName) n++;
  }
  return n;
}

/** pkg/proxy/healthcheck/service_health.go: 200 with the count of local endpoints, 503 when there are none. */
function healthCheck(
  state: ClusterState,
  node: Node,
  packet: Packet,
  namespace: string,
  name: string,
  local: number,
): LocalAnswer {
  const status = local > 0 ? '200 OK' : '503 Service Unavailable';
  const body = { service: { namespace, name }, localEndpoints: local, serviceProxyHealthy: true };
  const description = `kube-proxy's health server on ${node.name} answers healthCheckNodePort ${packet.dst.port} for ${namespace}/${name}: HTTP ${status} (${local} local endpoint${local === 1 ? '' : 's'})`;
  return {
    kind: 'answered',
    reason: `HTTP ${status} from kube-proxy's health check for ${namespace}/${name} on ${node.name}: ${local} local endpoint${local === 1 ? '' : 's'}`,
    hop: hop({
      component: 'kube-proxy',
      observationPoint: 'TO_STACK',
      node: node.name,
      packet,
      description,
      details: { healthCheck: true, httpStatus: local > 0 ? 200 : 503, body },
    }),
  };
}
