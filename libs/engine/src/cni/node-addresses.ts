import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import { cniFlavour } from './cni-flavour';
import { podGatewayIP, podRangeBaseIP } from './underlay';

/**
 * The IPv4 addresses a node's interfaces carry (loopback aside), as `get cni-rules` sets them up:
 * the node IP on eth0; kindnet's ptp gateway on every host-side veth (only once a pod runs there);
 * flannel's cni0 gateway and flannel.1's range address; calico IPIP's tunl0 address. kube-proxy's
 * IPVS mode puts a NodePort virtual server on each of them (GetAllLocalAddressesExcept kube-ipvs0).
 */
export function nodeLocalAddresses(state: ClusterState, node: Node): string[] {
  const addresses = [node.ip];
  if (!node.podCIDR) return addresses;
  switch (cniFlavour(state.config)) {
    case 'kindnet':
      if ([...state.pods.values()].some((p) => p.nodeName === node.name && p.ip && !p.hostNetwork))
        addresses.push(podGatewayIP(node));
      break;
    case 'flannel-vxlan':
      addresses.push(podGatewayIP(node), podRangeBaseIP(node));
      break;
    case 'calico-ipip':
      addresses.push(podRangeBaseIP(node));
      break;
    default:
      break;
  }
  return addresses;
}
