import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { ipToInt, parseCidr } from '../util/ip';
import { type CniFlavour, cniFlavour } from './cni-flavour';
import { caliName, vethName } from './interface-names';
import { nodeOwningPodIP, podGatewayIP, podRangeBaseIP, underlayOf } from './underlay';

/** One line of a node's main routing table, in the terms `ip route` prints. */
export interface Route {
  /** `default`, a CIDR, or a single address (host route). */
  destination: string;
  type?: 'blackhole';
  via?: string;
  dev?: string;
  proto?: 'kernel' | 'bird';
  scope?: 'link' | 'host';
  src?: string;
  onlink?: boolean;
  mtu?: number;
  /** Why the route exists, so a trace can explain the match. */
  purpose: 'default' | 'node-network' | 'local-pod' | 'local-pods' | 'peer-pods' | 'router';
  /** For `peer-pods`: the node owning that pod range. */
  peerNode?: string;
  /** For `local-pod`: the pod behind the interface. */
  pod?: string;
}

/** Cilium in tunnel mode lowers the route MTU by the VXLAN overhead (1500 − 50). */
const CILIUM_TUNNEL_MTU = 1450;

/**
 * A node's main routing table as the CNI leaves it (`ip route` on the node). Calico really
 * allocates /26 blocks from the pool; the engine keeps one block per node equal to the node's
 * podCIDR, which gives the same routing decisions with fewer lines.
 */
export function routingTable(state: ClusterState, node: Node): Route[] {
  const flavour = cniFlavour(state.config);
  const routes: Route[] = [defaultRoute(state), nodeNetworkRoute(state, node)];
  routes.push(...localBlockRoutes(flavour, node));
  for (const pod of state.pods.values()) {
    if (pod.nodeName === node.name && pod.ip && !pod.hostNetwork) {
      const route = localPodRoute(flavour, pod);
      if (route) routes.push(route);
    }
  }
  for (const peer of state.nodes.values())
    if (peer.name !== node.name && peer.podCIDR) routes.push(peerRoute(flavour, node, peer));
  return routes.sort(compareRoutes);
}

/** The route the kernel picks for `ip` on `node` (longest prefix match), without building the table. */
export function lookupRoute(state: ClusterState, node: Node, ip: string): Route {
  const flavour = cniFlavour(state.config);
  const local = clusterIndex(state)
    .podsByIP.get(ip)
    ?.find((p) => p.nodeName === node.name && !p.hostNetwork);
  if (local) {
    const route = localPodRoute(flavour, local);
    if (route) return route;
  }
  const block = localBlockRoutes(flavour, node);
  const router = block.find((r) => r.purpose === 'router' && r.destination === ip);
  if (router) return router;
  const owner = nodeOwningPodIP(state, ip);
  if (owner && owner.name === node.name) {
    const localBlock = block.find((r) => r.purpose === 'local-pods');
    if (localBlock) return localBlock;
  } else if (owner) {
    return peerRoute(flavour, node, owner);
  }
  const underlay = underlayOf(state);
  if (
    underlay.cidr.size &&
    ipToInt(ip) - underlay.cidr.base >= 0 &&
    ipToInt(ip) - underlay.cidr.base < underlay.cidr.size
  ) {
    return nodeNetworkRoute(state, node);
  }
  return defaultRoute(state);
}

function defaultRoute(state: ClusterState): Route {
  return {
    destination: 'default',
    via: underlayOf(state).gateway,
    dev: 'eth0',
    purpose: 'default',
  };
}

function nodeNetworkRoute(state: ClusterState, node: Node): Route {
  return {
    destination: underlayOf(state).text,
    dev: 'eth0',
    proto: 'kernel',
    scope: 'link',
    src: node.ip,
    purpose: 'node-network',
  };
}

function localBlockRoutes(flavour: CniFlavour, node: Node): Route[] {
  if (!node.podCIDR) return [];
  const gateway = podGatewayIP(node);
  switch (flavour) {
    case 'kindnet':
      // ptp: no bridge and no route for the whole range, only one host route per pod.
      return [];
    case 'flannel-vxlan':
      return [
        {
          destination: node.podCIDR,
          dev: 'cni0',
          proto: 'kernel',
          scope: 'link',
          src: gateway,
          purpose: 'local-pods',
        },
      ];
    case 'calico-bgp':
    case 'calico-ipip':
      // BIRD blackholes the node's own block so unknown addresses in it are dropped, not forwarded.
      return [
        { destination: node.podCIDR, type: 'blackhole', proto: 'bird', purpose: 'local-pods' },
      ];
    case 'cilium-tunnel':
    case 'cilium-native':
      return [
        {
          destination: node.podCIDR,
          via: gateway,
          dev: 'cilium_host',
          proto: 'kernel',
          src: gateway,
          purpose: 'local-pods',
        },
        {
          destination: gateway,
          dev: 'cilium_host',
          proto: 'kernel',
          scope: 'link',
          purpose: 'router',
        },
      ];
  }
}

function localPodRoute(flavour: CniFlavour, pod: Pod): Route | null {
  switch (flavour) {
    case 'kindnet':
      return {
        destination: pod.ip,
        dev: vethName(pod),
        scope: 'host',
        purpose: 'local-pod',
        pod: `${pod.namespace}/${pod.name}`,
      };
    case 'calico-bgp':
    case 'calico-ipip':
      return {
        destination: pod.ip,
        dev: caliName(pod),
        scope: 'link',
        purpose: 'local-pod',
        pod: `${pod.namespace}/${pod.name}`,
      };
    default:
      // flannel reaches local pods through the cni0 bridge; Cilium's BPF programs redirect to lxc devices.
      return null;
  }
}

function peerRoute(flavour: CniFlavour, node: Node, peer: Node): Route {
  const base = { destination: peer.podCIDR, purpose: 'peer-pods' as const, peerNode: peer.name };
  switch (flavour) {
    case 'kindnet':
      return { ...base, via: peer.ip, dev: 'eth0' };
    case 'flannel-vxlan':
      // The gateway is the peer's flannel.1 address; its MAC comes from the FDB flanneld programs.
      return { ...base, via: podRangeBaseIP(peer), dev: 'flannel.1', onlink: true };
    case 'calico-bgp':
      return { ...base, via: peer.ip, dev: 'eth0', proto: 'bird' };
    case 'calico-ipip':
      return { ...base, via: peer.ip, dev: 'tunl0', proto: 'bird', onlink: true };
    case 'cilium-tunnel':
      return {
        ...base,
        via: podGatewayIP(node),
        dev: 'cilium_host',
        proto: 'kernel',
        src: podGatewayIP(node),
        mtu: CILIUM_TUNNEL_MTU,
      };
    case 'cilium-native':
      // autoDirectNodeRoutes: plain routes to the peer over the shared L2 network.
      return { ...base, via: peer.ip, dev: 'eth0', proto: 'kernel' };
  }
}

/** `ip route` lists the default route first, then destinations in address order. */
function compareRoutes(a: Route, b: Route): number {
  if (a.destination === 'default') return -1;
  if (b.destination === 'default') return 1;
  const ca = parseCidr(a.destination.includes('/') ? a.destination : `${a.destination}/32`);
  const cb = parseCidr(b.destination.includes('/') ? b.destination : `${b.destination}/32`);
  if (!ca || !cb) return 0;
  return ca.base - cb.base || ca.prefix - cb.prefix;
}

export function formatRoute(route: Route): string {
  const parts: string[] = [];
  if (route.type) parts.push(route.type);
  parts.push(route.destination);
  if (route.via) parts.push('via', route.via);
  if (route.dev) parts.push('dev', route.dev);
  if (route.proto) parts.push('proto', route.proto);
  if (route.scope) parts.push('scope', route.scope);
  if (route.src) parts.push('src', route.src);
  if (route.onlink) parts.push('onlink');
  if (route.mtu) parts.push('mtu', String(route.mtu));
  return parts.join(' ');
}

/** The table as `ip route` prints it, one route per line. */
export function formatRoutes(routes: Route[]): string {
  return routes.map(formatRoute).join('\n');
}
