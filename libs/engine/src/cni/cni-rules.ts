import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import { fnv32a } from '../util/hash';
import { formatIptablesSave, type IptablesTable } from '../util/iptables-save-form';
import {
  type CniFlavour,
  cniFlavour,
  FLANNEL_VNI,
  masqueradeChain,
  VXLAN_PORT,
} from './cni-flavour';
import { hostSideInterface } from './pod-interfaces';
import { podGatewayIP, podRangeBaseIP } from './underlay';

/**
 * What the CNI plugin programs on a node besides routes, as sections a node's own tools load:
 * `# iptables-save` (its masquerade and forward chains, in iptables-save's form), `# ip -batch`
 * (addresses of the pods' host-side interfaces, bridges and tunnel devices with their neighbour
 * entries) and `# bridge -batch` (the VXLAN forwarding database). Each section starts with a
 * comment line naming the command that loads it.
 */
export function renderCniRules(state: ClusterState, node: Node): string {
  const flavour = cniFlavour(state.config);
  const pods = localPods(state, node);
  const sections: string[] = [
    `# ${state.config.cni.plugin} (${flavour}) on node ${node.name}: what the CNI plugin programs besides routes`,
  ];
  const tables = cniTables(state, flavour, node);
  if (tables.length) sections.push('# iptables-save', formatIptablesSave(tables).trimEnd());
  const links = cniLinks(state, flavour, node, pods);
  if (links.length) sections.push('# ip -batch', ...links);
  const bridge =
    flavour === 'flannel-vxlan' ? [...hairpinPorts(flavour, pods), ...flannelFdb(state, node)] : [];
  if (bridge.length) sections.push('# bridge -batch', ...bridge);
  return `${sections.join('\n')}\n`;
}

function localPods(state: ClusterState, node: Node): Pod[] {
  return [...state.pods.values()].filter((p) => p.nodeName === node.name && p.ip && !p.hostNetwork);
}

function cniTables(state: ClusterState, flavour: CniFlavour, _node: Node): IptablesTable[] {
  const podCIDR = state.config.podCIDR;
  const chain = masqueradeChain(flavour, podCIDR);
  if (flavour === 'kindnet')
    return [
      {
        name: 'nat',
        chains: ['KIND-MASQ-AGENT'],
        rules: [
          '-A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment "kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain" -j KIND-MASQ-AGENT',
          ...chain,
        ],
      },
    ];
  if (flavour === 'flannel-vxlan')
    return [
      {
        name: 'filter',
        chains: ['FLANNEL-FWD'],
        rules: [
          '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
          `-A FLANNEL-FWD -s ${podCIDR} -m comment --comment "flanneld forward" -j ACCEPT`,
          `-A FLANNEL-FWD -d ${podCIDR} -m comment --comment "flanneld forward" -j ACCEPT`,
        ],
      },
      {
        name: 'nat',
        chains: ['FLANNEL-POSTRTG'],
        rules: ['-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG', ...chain],
      },
    ];
  return [];
}

/** flanneld gives flannel.1 a MAC of its own and publishes it in the node's annotations; derived from the node name here. */
export function flannelMac(node: Node): string {
  const hash = fnv32a(`flannel.1/${node.name}`);
  const second = fnv32a(`flannel.1#${node.name}`);
  const bytes = [
    0x0e,
    (hash >>> 24) & 0xff,
    (hash >>> 16) & 0xff,
    (hash >>> 8) & 0xff,
    hash & 0xff,
  ];
  bytes.push(second & 0xff);
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function cniLinks(state: ClusterState, flavour: CniFlavour, node: Node, pods: Pod[]): string[] {
  const lines: string[] = [];
  const hostSides = pods.map((pod) => hostSideInterface(flavour, pod));
  switch (flavour) {
    case 'kindnet':
      // The ptp plugin puts the range's gateway address on every host-side veth (/32).
      for (const dev of hostSides)
        lines.push(`addr add ${podGatewayIP(node)}/32 dev ${dev}`, `link set ${dev} up`);
      return lines;
    case 'flannel-vxlan': {
      const range = node.podCIDR.split('/')[1];
      lines.push(
        'link add cni0 type bridge',
        `addr add ${podGatewayIP(node)}/${range} dev cni0`,
        'link set cni0 up',
      );
      for (const dev of hostSides) lines.push(`link set ${dev} master cni0`, `link set ${dev} up`);
      lines.push(
        `link add flannel.1 address ${flannelMac(node)} type vxlan id ${FLANNEL_VNI} local ${node.ip} dev eth0 dstport ${VXLAN_PORT} nolearning`,
        `addr add ${podRangeBaseIP(node)}/32 dev flannel.1`,
        'link set flannel.1 up',
      );
      // One permanent neighbour entry per peer: its flannel.1 address → its flannel.1 MAC.
      for (const peer of peers(state, node))
        lines.push(
          `neigh add ${podRangeBaseIP(peer)} lladdr ${flannelMac(peer)} dev flannel.1 nud permanent`,
        );
      return lines;
    }
    case 'calico-bgp':
    case 'calico-ipip':
      // Calico's veths have no address; proxy_arp answers for the pods' 169.254.1.1 gateway.
      for (const dev of hostSides) lines.push(`link set ${dev} up`);
      return lines;
    default:
      return lines;
  }
}

/**
 * flannel's CNI config delegates to the bridge plugin with `hairpinMode: true`: each pod's port on
 * cni0 may send a frame back out of the port it came in on, so a pod reaching its own Service and
 * DNATed to itself gets its packet back.
 */
function hairpinPorts(flavour: CniFlavour, pods: Pod[]): string[] {
  return pods.map((pod) => `link set dev ${hostSideInterface(flavour, pod)} hairpin on`);
}

/** The VXLAN forwarding database: each peer's flannel.1 MAC is reached at the peer node's IP. */
function flannelFdb(state: ClusterState, node: Node): string[] {
  return peers(state, node).map(
    (peer) => `fdb append ${flannelMac(peer)} dev flannel.1 dst ${peer.ip}`,
  );
}

function peers(state: ClusterState, node: Node): Node[] {
  return [...state.nodes.values()].filter((n) => n.name !== node.name && n.podCIDR);
}
