import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import type { Packet } from '../trace/trace-types';
import { FLANNEL_VNI, VXLAN_PORT, cniFlavour } from './cni-flavour';
import { type HopDraft, clonePacket, hop } from '../trace/hop-draft';

/**
 * A packet routed from one node to a peer's pod range: encapsulated (flannel VXLAN, Calico IPIP,
 * Cilium tunnel) or plain routed (kindnet, Calico BGP, Cilium native) across the underlay, then
 * decapsulated on the peer. Returns the hops; the packet arriving on the peer is unchanged.
 */
export function crossToPeer(state: ClusterState, from: Node, to: Node, packet: Packet): HopDraft[] {
  const flavour = cniFlavour(state.config);
  const hops: HopDraft[] = [];
  const wire = (outer?: Packet['outer']): Packet => {
    const p = clonePacket(packet);
    if (outer) p.outer = outer;
    return p;
  };
  switch (flavour) {
    case 'flannel-vxlan': {
      const outer = {
        protocol: 'UDP' as const,
        src: from.ip,
        dst: to.ip,
        dstPort: VXLAN_PORT,
        vni: FLANNEL_VNI,
      };
      hops.push(
        hop({
          component: 'vxlan',
          observationPoint: 'TO_OVERLAY',
          node: from.name,
          interface: 'flannel.1',
          packet: wire(outer),
          description: `flannel.1 wraps the packet in VXLAN (VNI ${FLANNEL_VNI}, UDP ${VXLAN_PORT}) addressed ${from.ip} → ${to.ip}, the VTEP flanneld recorded for ${to.name}`,
          details: { vni: FLANNEL_VNI, udpPort: VXLAN_PORT },
        }),
      );
      hops.push(underlay(from, to, wire(outer)));
      hops.push(
        hop({
          component: 'vxlan',
          observationPoint: 'FROM_OVERLAY',
          node: to.name,
          interface: 'flannel.1',
          packet: wire(),
          description: `${to.name}'s flannel.1 strips the VXLAN header; the inner packet enters ${to.name}'s stack`,
        }),
      );
      break;
    }
    case 'calico-ipip': {
      const outer = { protocol: 'IPIP' as const, src: from.ip, dst: to.ip };
      hops.push(
        hop({
          component: 'ipip',
          observationPoint: 'TO_OVERLAY',
          node: from.name,
          interface: 'tunl0',
          packet: wire(outer),
          description: `tunl0 wraps the packet in an outer IPv4 header (IP-in-IP, protocol 4) ${from.ip} → ${to.ip}`,
        }),
      );
      hops.push(underlay(from, to, wire(outer)));
      hops.push(
        hop({
          component: 'ipip',
          observationPoint: 'FROM_OVERLAY',
          node: to.name,
          interface: 'tunl0',
          packet: wire(),
          description: `${to.name}'s tunl0 removes the outer header`,
        }),
      );
      break;
    }
    case 'cilium-tunnel': {
      const outer = { protocol: 'UDP' as const, src: from.ip, dst: to.ip, dstPort: VXLAN_PORT };
      hops.push(
        hop({
          component: 'ebpf',
          observationPoint: 'TO_OVERLAY',
          node: from.name,
          interface: 'cilium_host',
          packet,
          description: `Cilium's BPF program looks up ${to.name} in its tunnel map and sends the packet to cilium_vxlan`,
          details: { map: 'cilium_tunnel_map' },
        }),
      );
      hops.push(
        hop({
          component: 'vxlan',
          observationPoint: 'TO_OVERLAY',
          node: from.name,
          interface: 'cilium_vxlan',
          packet: wire(outer),
          description: `cilium_vxlan encapsulates in VXLAN (UDP ${VXLAN_PORT}) ${from.ip} → ${to.ip}; the VNI carries the source's security identity`,
          details: { udpPort: VXLAN_PORT },
        }),
      );
      hops.push(underlay(from, to, wire(outer)));
      hops.push(
        hop({
          component: 'vxlan',
          observationPoint: 'FROM_OVERLAY',
          node: to.name,
          interface: 'cilium_vxlan',
          packet: wire(),
          description: `${to.name}'s cilium_vxlan decapsulates; BPF on it passes the packet on`,
        }),
      );
      break;
    }
    default:
      hops.push(underlay(from, to, wire(), true));
      hops.push(
        hop({
          component: 'node-netns',
          observationPoint: 'FROM_NETWORK',
          node: to.name,
          interface: 'eth0',
          packet: wire(),
          description: `arrives on ${to.name}'s eth0 unencapsulated and is forwarded by its routing table`,
        }),
      );
  }
  return hops;
}

function underlay(from: Node, to: Node, packet: Packet, routed = false): HopDraft {
  const what = routed
    ? `routed as is (next hop ${to.ip}, ${to.name})`
    : `the encapsulated packet crosses the node network to ${to.ip}`;
  return hop({
    component: 'underlay',
    observationPoint: 'TO_NETWORK',
    node: from.name,
    interface: 'eth0',
    packet,
    description: `leaves ${from.name} on eth0: ${what}`,
  });
}
