import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import { cniFlavour } from './cni-flavour';
import { CALICO_POD_GATEWAY, hostSideInterface } from './pod-interfaces';
import { podGatewayIP } from './underlay';

/** flannel's VXLAN backend lowers the pods' MTU by the encapsulation (1500 − 50). */
const FLANNEL_MTU = 1450;

/**
 * Inside a pod's network namespace: its eth0 (`ip -br -4 addr`, with the host-side veth it pairs
 * with after the `@`) and its routing table (`ip route`), as the CNI plugin configured them:
 * ptp (kindnet) gives eth0 an address in the node's range and routes the range through the
 * gateway on the host-side veth; the bridge plugin (flannel) leaves the range on-link through
 * cni0; Calico and Cilium give /32 addresses and a single gateway.
 */
export function podRoutesText(state: ClusterState, pod: Pod, node: Node): string {
  const flavour = cniFlavour(state.config);
  const host = hostSideInterface(flavour, pod);
  const range = node.podCIDR.split('/')[1] ?? '24';
  const gateway = podGatewayIP(node);
  const lines = [
    `# pod ${pod.namespace}/${pod.name} on node ${node.name}: ip -br -4 addr show dev eth0; ip route`,
  ];
  switch (flavour) {
    case 'kindnet':
      lines.push(
        `eth0@${host} UP ${pod.ip}/${range}`,
        `default via ${gateway} dev eth0`,
        `${node.podCIDR} via ${gateway} dev eth0 src ${pod.ip}`,
        `${gateway} dev eth0 scope link src ${pod.ip}`,
      );
      break;
    case 'flannel-vxlan':
      lines.push(
        `eth0@${host} UP ${pod.ip}/${range} mtu ${FLANNEL_MTU}`,
        `default via ${gateway} dev eth0`,
        `${state.config.podCIDR} via ${gateway} dev eth0`,
        `${node.podCIDR} dev eth0 proto kernel scope link src ${pod.ip}`,
      );
      break;
    case 'calico-bgp':
    case 'calico-ipip':
      lines.push(
        `eth0@${host} UP ${pod.ip}/32`,
        `default via ${CALICO_POD_GATEWAY} dev eth0`,
        `${CALICO_POD_GATEWAY} dev eth0 scope link`,
      );
      break;
    case 'cilium-tunnel':
    case 'cilium-native':
      lines.push(
        `eth0@${host} UP ${pod.ip}/32`,
        `default via ${gateway} dev eth0 mtu ${flavour === 'cilium-tunnel' ? 1450 : 1500}`,
        `${gateway} dev eth0 scope link`,
      );
      break;
  }
  return `${lines.join('\n')}\n`;
}
