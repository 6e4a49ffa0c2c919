import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import type { Packet } from '../trace/trace-types';
import { type CniFlavour, cniFlavour } from './cni-flavour';
import { type HopDraft, hop } from '../trace/hop-draft';
import { caliName, ifbName, lxcName, vethName } from './interface-names';
import { podGatewayIP } from './underlay';

/** Calico's pods route everything to this link-local gateway; proxy_arp on the cali veth answers for it. */
export const CALICO_POD_GATEWAY = '169.254.1.1';

export function hostSideInterface(flavour: CniFlavour, pod: Pod): string {
  if (flavour === 'calico-bgp' || flavour === 'calico-ipip') return caliName(pod);
  if (flavour === 'cilium-tunnel' || flavour === 'cilium-native') return lxcName(pod);
  return vethName(pod);
}

/** The pod's own routing table: one default route, through eth0. */
export function podDefaultRoute(flavour: CniFlavour, node: Node): string {
  const gateway =
    flavour === 'calico-bgp' || flavour === 'calico-ipip' ? CALICO_POD_GATEWAY : podGatewayIP(node);
  return `default via ${gateway} dev eth0`;
}

function podRef(pod: Pod): string {
  return `${pod.namespace}/${pod.name}`;
}

/** The packet leaves the pod's network namespace and reaches the node's stack (where kube-proxy's rules run). */
export function leavePod(
  state: ClusterState,
  pod: Pod,
  node: Node,
  packet: Packet,
  notes: string[],
): HopDraft[] {
  const flavour = cniFlavour(state.config);
  const host = hostSideInterface(flavour, pod);
  const hops: HopDraft[] = [
    hop({
      component: 'pod-netns',
      observationPoint: 'FROM_ENDPOINT',
      node: node.name,
      interface: 'eth0',
      packet,
      description: `leaves pod ${podRef(pod)} through its eth0 (${podDefaultRoute(flavour, node)})`,
      details: { route: podDefaultRoute(flavour, node) },
    }),
    hop({
      component: 'veth',
      observationPoint: 'TO_STACK',
      node: node.name,
      interface: host,
      packet,
      description: `arrives on the node through the host end of the pod's veth pair, ${host}`,
    }),
  ];
  hops.push(...egressShaping(flavour, pod, node, packet, notes));
  if (flavour === 'flannel-vxlan') {
    hops.push(
      hop({
        component: 'bridge',
        observationPoint: 'TO_STACK',
        node: node.name,
        interface: 'cni0',
        packet,
        description: `${host} is a port of the cni0 bridge; the bridge hands the packet to the node's IP stack (its gateway address ${podGatewayIP(node)})`,
      }),
    );
  }
  if (flavour === 'cilium-tunnel' || flavour === 'cilium-native') {
    hops.push(
      hop({
        component: 'ebpf',
        observationPoint: 'FROM_ENDPOINT',
        node: node.name,
        interface: host,
        packet,
        description: `Cilium's bpf_lxc program (tc ingress on ${host}) handles the packet from the pod`,
        details: { program: 'bpf_lxc', hook: 'tc ingress' },
      }),
    );
  }
  return hops;
}

/** The last steps into a pod on this node, after the node's routing decision. */
export function enterPod(
  state: ClusterState,
  pod: Pod,
  node: Node,
  packet: Packet,
  notes: string[],
): HopDraft[] {
  const flavour = cniFlavour(state.config);
  const host = hostSideInterface(flavour, pod);
  const hops: HopDraft[] = [];
  if (flavour === 'flannel-vxlan') {
    hops.push(
      hop({
        component: 'bridge',
        observationPoint: 'TO_ENDPOINT',
        node: node.name,
        interface: 'cni0',
        packet,
        description: `the cni0 bridge forwards the frame to the port ${host} (learned MAC of ${pod.ip})`,
      }),
    );
  }
  if (flavour === 'cilium-tunnel' || flavour === 'cilium-native') {
    hops.push(
      hop({
        component: 'ebpf',
        observationPoint: 'TO_ENDPOINT',
        node: node.name,
        interface: host,
        packet,
        description: `Cilium's BPF program delivers to the endpoint ${podRef(pod)} (redirect to ${host}'s peer)`,
        details: { program: 'bpf_lxc', hook: 'to-container' },
      }),
    );
  }
  hops.push(...ingressShaping(flavour, pod, node, packet, notes));
  hops.push(
    hop({
      component: 'veth',
      observationPoint: 'TO_ENDPOINT',
      node: node.name,
      interface: host,
      packet,
      description: `crosses the veth pair ${host} into the pod`,
    }),
  );
  hops.push(
    hop({
      component: 'pod-netns',
      observationPoint: 'TO_ENDPOINT',
      node: node.name,
      interface: 'eth0',
      packet,
      description: `arrives in pod ${podRef(pod)} on eth0 (${pod.ip})`,
    }),
  );
  return hops;
}

/**
 * The bandwidth CNI plugin (containernetworking/plugins meta/bandwidth) shapes with a tbf qdisc:
 * `ingress-bandwidth` (traffic into the pod) on the host-side veth's egress; `egress-bandwidth`
 * (traffic from the pod) by redirecting the host veth's ingress to an ifb device with the tbf.
 */
function egressShaping(
  flavour: CniFlavour,
  pod: Pod,
  node: Node,
  packet: Packet,
  notes: string[],
): HopDraft[] {
  const rate = pod.annotations['kubernetes.io/egress-bandwidth'];
  if (!rate) return [];
  if (flavour === 'cilium-tunnel' || flavour === 'cilium-native') {
    notes.push(
      'Cilium enforces kubernetes.io/egress-bandwidth with its bandwidth manager (EDT in BPF, fq qdisc on the native device), only when bandwidthManager.enabled is set.',
    );
    return [
      hop({
        component: 'bandwidth',
        observationPoint: 'TO_NETWORK',
        node: node.name,
        interface: 'eth0',
        packet,
        description: `egress limited to ${rate} by Cilium's bandwidth manager (earliest departure time in BPF)`,
        details: { rate, mechanism: 'edt' },
      }),
    ];
  }
  notePluginChaining(flavour, notes);
  const ifb = ifbName(pod);
  return [
    hop({
      component: 'bandwidth',
      observationPoint: 'TO_STACK',
      node: node.name,
      interface: ifb,
      packet,
      description: `egress limited to ${rate}: the bandwidth plugin redirects ${hostSideInterface(flavour, pod)}'s ingress to ${ifb}, whose tbf qdisc shapes it`,
      details: { rate, qdisc: 'tbf', device: ifb },
    }),
  ];
}

function ingressShaping(
  flavour: CniFlavour,
  pod: Pod,
  node: Node,
  packet: Packet,
  notes: string[],
): HopDraft[] {
  const rate = pod.annotations['kubernetes.io/ingress-bandwidth'];
  if (!rate) return [];
  if (flavour === 'cilium-tunnel' || flavour === 'cilium-native') {
    notes.push(
      "Cilium's bandwidth manager does not support kubernetes.io/ingress-bandwidth; the annotation has no effect.",
    );
    return [];
  }
  notePluginChaining(flavour, notes);
  const host = hostSideInterface(flavour, pod);
  return [
    hop({
      component: 'bandwidth',
      observationPoint: 'TO_ENDPOINT',
      node: node.name,
      interface: host,
      packet,
      description: `ingress limited to ${rate} by the bandwidth plugin's tbf qdisc on ${host} (egress side of the host veth)`,
      details: { rate, qdisc: 'tbf', device: host },
    }),
  ];
}

function notePluginChaining(flavour: CniFlavour, notes: string[]): void {
  if (flavour === 'kindnet' || flavour === 'flannel-vxlan') {
    const note = `The default ${flavour === 'kindnet' ? 'kindnet' : 'flannel'} CNI config does not chain the bandwidth plugin; the shaping shown applies only once it is added.`;
    if (!notes.includes(note)) notes.push(note);
  }
}
