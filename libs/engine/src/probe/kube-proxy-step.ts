import { type HopDraft, clonePacket, hop } from '../trace/hop-draft';
import { kubeProxyProcess } from '../kube-proxy/process-packet';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod, Protocol, Service } from '../model/resources';
import type { DropReason, Packet } from '../trace/trace-types';

export type ServiceStep =
  | { kind: 'none' }
  | {
      kind: 'dnat';
      hop: HopDraft;
      packet: Packet;
      masquerade: boolean;
      service: Service;
      endpointPod?: Pod;
      endpointNode?: string;
      handledOn: string;
      notes: string[];
    }
  | {
      kind: 'blocked';
      verdict: 'refused' | 'dropped';
      dropReason: DropReason;
      reason: string;
      hop: HopDraft;
      notes: string[];
    };

/**
 * kube-proxy's rules on `node` (PREROUTING for packets from pods or outside, OUTPUT for the node's
 * own): DNAT to an endpoint, REJECT, DROP, or no match.
 */
export function serviceStep(
  state: ClusterState,
  node: Node,
  packet: Packet,
  origin: 'pod' | 'node' | 'external',
  sourcePod?: Pod,
): ServiceStep {
  if (packet.protocol === 'ICMP' || packet.dst.port === undefined) return { kind: 'none' };
  const protocol: Protocol = packet.protocol;
  const outcome = kubeProxyProcess(
    state,
    { dstIP: packet.dst.ip, dstPort: packet.dst.port, protocol, srcIP: packet.src.ip },
    { node, origin, sourcePod },
  );
  const mode = state.config.kubeProxy.mode;
  if (outcome.kind === 'no-service') return { kind: 'none' };
  if (outcome.kind === 'dnat') {
    const after = clonePacket(packet);
    after.dst = { ip: outcome.endpoint.ip, port: outcome.endpoint.port };
    const svc = `${outcome.service.namespace}/${outcome.service.name}`;
    return {
      kind: 'dnat',
      packet: after,
      masquerade: outcome.masquerade,
      service: outcome.service,
      endpointPod: outcome.endpoint.pod,
      endpointNode: outcome.endpoint.nodeName,
      handledOn: outcome.handledOn,
      notes: outcome.notes,
      hop: hop({
        component: 'kube-proxy',
        observationPoint: 'TO_STACK',
        node: outcome.handledOn,
        interface: chainName(outcome.rules),
        packet: after,
        description: outcome.description,
        details: {
          mode,
          service: svc,
          servicePort: outcome.servicePort.name ?? outcome.servicePort.port,
          vip: outcome.vip,
          dnatFrom: `${packet.dst.ip}:${packet.dst.port}`,
          dnatTo: `${outcome.endpoint.ip}:${outcome.endpoint.port}`,
          probability: outcome.probability,
          ruleProbability: outcome.ruleProbability,
          viaAffinity: outcome.viaAffinity,
          masquerade: outcome.masquerade,
          rules: outcome.rules,
        },
      }),
    };
  }
  return {
    kind: 'blocked',
    verdict: outcome.kind === 'reject' ? 'refused' : 'dropped',
    dropReason: outcome.dropReason,
    reason: outcome.description,
    notes: outcome.notes,
    hop: hop({
      component: 'kube-proxy',
      observationPoint: 'TO_STACK',
      node: node.name,
      interface: chainName(outcome.rules),
      packet,
      description: outcome.description,
      details: {
        mode,
        action: outcome.kind === 'reject' ? 'REJECT' : 'DROP',
        rules: outcome.rules,
      },
    }),
  };
}

/** The first kube-proxy chain named in the traversed rules (`KUBE-SVC-…`, nftables `service-…`), for the hop's interface field. */
function chainName(rules: string[]): string | undefined {
  for (const rule of rules) {
    const m = /-j (KUBE-[A-Z]+-[A-Z0-9]{16})|goto (service-[^\s]+)|(KUBE-[A-Z]+-[A-Z0-9]{16})/.exec(
      rule,
    );
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}
