import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import type { Packet } from '../trace/trace-types';
import { cniFlavour, masqueradeRule } from './cni-flavour';
import { crossToPeer } from './cross-node';
import { type HopDraft, clonePacket, hop } from '../trace/hop-draft';
import type { PathResult } from './path-result';
import { type NetworkEndpoint, endpointForIP, isPodIP } from './network-endpoint';
import { enterPod, leavePod } from './pod-interfaces';
import { type Route, formatRoute, lookupRoute } from './routing-table';
import { podGatewayIP, podRangeBaseIP, underlayOf } from './underlay';

export interface ForwardOptions {
  /** kube-proxy marked the connection for masquerade (KUBE-MARK-MASQ → KUBE-POSTROUTING). */
  kubeProxyMasquerade?: boolean;
  /** NAT state of the connection: a reply meeting its entry's node is rewritten back (un-DNAT / un-SNAT). */
  conntrack?: ConntrackEntry[];
  /**
   * The packet answers an existing connection: the nat table only sees a connection's first
   * packet, so no new SNAT applies to it (conntrack only reverses what the request got).
   */
  reply?: boolean;
}

/** One connection's NAT on one node: the packet as it arrived (`original`) and as it left (`translated`). */
export interface ConntrackEntry {
  node: string;
  original: Packet;
  translated: Packet;
}

function sameEndpoint(a: Packet['src'], b: Packet['src']): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/** Whether a reply packet belongs to the entry's connection (reply = translated with src/dst swapped). */
function matchesReply(entry: ConntrackEntry, packet: Packet): boolean {
  return (
    sameEndpoint(packet.src, entry.translated.dst) && sameEndpoint(packet.dst, entry.translated.src)
  );
}

/**
 * The hops of a packet between two addresses inside the cluster (after any DNAT): loopback inside a
 * pod, across the node (veth, bridge or BPF redirect), or to a peer node per the cluster's CNI;
 * traffic leaving the cluster is masqueraded to the node's address.
 */
export function networkPath(
  state: ClusterState,
  from: NetworkEndpoint,
  to: NetworkEndpoint,
  packet: Packet,
): PathResult {
  const notes: string[] = [];
  if (from.kind === 'pod') {
    if (to.kind === 'pod' && to.pod === from.pod) {
      const loop = hop({
        component: 'loopback',
        observationPoint: 'TO_ENDPOINT',
        node: from.node.name,
        interface: 'lo',
        packet,
        description: `the destination is the pod's own address: the kernel's local table sends it over lo; every container of pod ${from.pod.namespace}/${from.pod.name} shares this network namespace`,
      });
      return { hops: [loop], outcome: { kind: 'arrived' }, packet: clonePacket(packet), notes };
    }
    const out = leavePod(state, from.pod, from.node, packet, notes);
    const rest = forwardFromNode(state, from.node, to, packet);
    return { ...rest, hops: [...out, ...rest.hops], notes: [...notes, ...rest.notes] };
  }
  if (from.kind === 'node') return forwardFromNode(state, from.node, to, packet);
  if (from.kind === 'external' && to.kind === 'node') {
    const arrive = arriveFromExternal(state, to.node, packet);
    const rest = forwardFromNode(state, to.node, to, packet);
    return { ...rest, hops: [...arrive, ...rest.hops] };
  }
  return {
    hops: [],
    outcome: {
      kind: 'dropped',
      dropReason: 'NO_ROUTE',
      reason: `${from.ip} has no route to ${to.ip}: pod and service addresses are only routable inside the cluster`,
    },
    packet: clonePacket(packet),
    notes,
  };
}

/** A packet from outside reaching a node's eth0 over the node network. */
export function arriveFromExternal(state: ClusterState, node: Node, packet: Packet): HopDraft[] {
  return [
    hop({
      component: 'external-network',
      observationPoint: 'FROM_NETWORK',
      node: null,
      packet,
      description: `the packet from ${packet.src.ip} travels from outside the cluster to ${packet.dst.ip}, on the nodes' network ${underlayOf(state).text}`,
    }),
    hop({
      component: 'node-netns',
      observationPoint: 'FROM_NETWORK',
      node: node.name,
      interface: 'eth0',
      packet,
      description: `arrives on ${node.name}'s eth0 (${node.ip})`,
    }),
  ];
}

/**
 * From a node's IP stack (after kube-proxy's PREROUTING/OUTPUT rules) to the target: the routing
 * decision, masquerade in POSTROUTING, then local delivery, a peer node, or the outside network.
 */
export function forwardFromNode(
  state: ClusterState,
  node: Node,
  to: NetworkEndpoint,
  packet: Packet,
  options: ForwardOptions = {},
): PathResult {
  const notes: string[] = [];
  const hops: HopDraft[] = [];
  let current = clonePacket(packet);
  let snatIP: string | undefined;
  const done = (outcome: PathResult['outcome']): PathResult => ({
    hops,
    outcome,
    packet: current,
    snatIP,
    notes,
  });
  const reversed = reverseNat(state, node, current, options);
  if (reversed) return reversed;

  if (to.kind === 'node' && to.node.name === node.name) {
    hops.push(
      hop({
        component: 'node-netns',
        observationPoint: 'TO_STACK',
        node: node.name,
        packet: current,
        description: `${to.ip} is an address of ${node.name} itself: delivered locally (INPUT)`,
      }),
    );
    return done({ kind: 'arrived' });
  }

  const route = lookupRoute(state, node, to.ip);
  hops.push(routeHop(node, current, route));
  if (route.type === 'blackhole')
    return done({
      kind: 'dropped',
      dropReason: 'NO_ROUTE',
      reason: `no pod has ${to.ip}: Calico blackholes unused addresses of ${node.name}'s block`,
    });

  const masq = masqueradeFor(state, node, to, current, route, options);
  if (masq) {
    snatIP = masq.ip;
    current = { ...clonePacket(current), src: { ...current.src, ip: masq.ip } };
    hops.push(
      hop({
        component: 'snat',
        observationPoint: 'TO_NETWORK',
        node: node.name,
        interface: route.dev,
        packet: current,
        description: masq.description,
        details: { rule: masq.rule, toSource: masq.ip },
      }),
    );
  }

  switch (to.kind) {
    case 'pod': {
      if (to.node.name === node.name) {
        hops.push(...enterPod(state, to.pod, node, current, notes));
        return done({ kind: 'arrived' });
      }
      if (!to.node.ready) return done(nodeDown(to.node));
      hops.push(...crossToPeer(state, node, to.node, current));
      const onPeer = reverseNat(state, to.node, current, options);
      if (onPeer) return joined(hops, notes, onPeer);
      hops.push(routeHop(to.node, current, lookupRoute(state, to.node, to.ip)));
      hops.push(...enterPod(state, to.pod, to.node, current, notes));
      return done({ kind: 'arrived' });
    }
    case 'node': {
      if (!to.node.ready) return done(nodeDown(to.node));
      if (route.purpose === 'peer-pods') hops.push(...crossToPeer(state, node, to.node, current));
      else
        hops.push(
          hop({
            component: 'underlay',
            observationPoint: 'TO_NETWORK',
            node: node.name,
            interface: 'eth0',
            packet: current,
            description: `leaves ${node.name} on eth0 for ${to.node.name} on the node network`,
          }),
        );
      const onPeer = reverseNat(state, to.node, current, options);
      if (onPeer) return joined(hops, notes, onPeer);
      hops.push(
        hop({
          component: 'node-netns',
          observationPoint: 'TO_STACK',
          node: to.node.name,
          interface: 'eth0',
          packet: current,
          description: `arrives on ${to.node.name}'s eth0 and is delivered to its own stack`,
        }),
      );
      return done({ kind: 'arrived' });
    }
    case 'unassigned-pod-ip':
      return done({
        kind: 'dropped',
        dropReason: 'NO_ROUTE',
        reason: `no pod has the address ${to.ip}${to.node ? ` (inside ${to.node.name}'s range ${to.node.podCIDR})` : ''}: nothing answers ARP for it`,
      });
    case 'service-ip':
      return done({
        kind: 'dropped',
        dropReason: 'UNALLOCATED_SERVICE_IP',
        reason: `no Service owns ${to.ip}: without a kube-proxy rule the packet follows the default route out of the node and is lost`,
      });
    case 'external':
      hops.push(
        hop({
          component: 'underlay',
          observationPoint: 'TO_NETWORK',
          node: node.name,
          interface: 'eth0',
          packet: current,
          description: `leaves ${node.name} on eth0 towards the gateway ${underlayOf(state).gateway}`,
        }),
      );
      hops.push(
        hop({
          component: 'external-network',
          observationPoint: 'TO_NETWORK',
          node: null,
          packet: current,
          description: `travels outside the cluster to ${to.ip}`,
        }),
      );
      return done({ kind: 'arrived' });
  }
}

function joined(hops: HopDraft[], notes: string[], rest: PathResult): PathResult {
  return { ...rest, hops: [...hops, ...rest.hops], notes: [...notes, ...rest.notes] };
}

/**
 * conntrack on `node` recognises a reply of a connection it translated and restores the addresses
 * the client used (un-DNAT the source, un-SNAT the destination); the walk continues to the
 * restored destination from here.
 */
function reverseNat(
  state: ClusterState,
  node: Node,
  packet: Packet,
  options: ForwardOptions,
): PathResult | null {
  const entries = options.conntrack ?? [];
  const entry = entries.find((e) => e.node === node.name && matchesReply(e, packet));
  if (!entry) return null;
  const restored: Packet = {
    protocol: packet.protocol,
    src: { ...entry.original.dst },
    dst: { ...entry.original.src },
  };
  const changes: string[] = [];
  if (!sameEndpoint(restored.src, packet.src))
    changes.push(`source ${fmt(packet.src)} → ${fmt(restored.src)}`);
  if (!sameEndpoint(restored.dst, packet.dst))
    changes.push(`destination ${fmt(packet.dst)} → ${fmt(restored.dst)}`);
  const conntrackHop = hop({
    component: 'conntrack',
    observationPoint: 'FROM_STACK',
    node: node.name,
    packet: restored,
    description: `conntrack on ${node.name} matches the reply to its NAT entry and reverses it: ${changes.join(', ')}`,
    details: {
      original: `${fmt(entry.original.src)} → ${fmt(entry.original.dst)}`,
      translated: `${fmt(entry.translated.src)} → ${fmt(entry.translated.dst)}`,
    },
  });
  const rest = forwardFromNode(state, node, endpointForIP(state, restored.dst.ip), restored, {
    conntrack: entries.filter((e) => e !== entry),
    reply: true,
  });
  return { ...rest, hops: [conntrackHop, ...rest.hops] };
}

function fmt(endpoint: Packet['src']): string {
  return endpoint.port === undefined ? endpoint.ip : `${endpoint.ip}:${endpoint.port}`;
}

function routeHop(node: Node, packet: Packet, route: Route): HopDraft {
  const line = formatRoute(route);
  return hop({
    component: 'route',
    observationPoint: 'TO_STACK',
    node: node.name,
    interface: route.dev,
    packet,
    description: `${node.name}'s routing table matches \`${line}\``,
    details: { route: line, purpose: route.purpose },
  });
}

function nodeDown(node: Node): PathResult['outcome'] {
  return {
    kind: 'dropped',
    dropReason: 'NODE_NOT_READY',
    reason: `node ${node.name} (${node.ip}) is NotReady: nothing on it answers`,
  };
}

/**
 * MASQUERADE rewrites the source to the address of the interface the packet leaves by
 * (iptables-extensions(8) MASQUERADE). kube-proxy's mark wins; otherwise the CNI masquerades
 * pod traffic leaving the node for addresses outside the pod CIDR.
 */
function masqueradeFor(
  state: ClusterState,
  node: Node,
  to: NetworkEndpoint,
  packet: Packet,
  route: Route,
  options: ForwardOptions,
): { ip: string; rule: string; description: string } | null {
  if (options.reply) return null;
  const ip = interfaceAddress(state, node, route);
  if (options.kubeProxyMasquerade) {
    return {
      ip,
      rule: kubeProxyMasqueradeRule(state),
      description: `kube-proxy marked the connection (0x4000): KUBE-POSTROUTING masquerades the source to ${ip}, the address of ${route.dev}`,
    };
  }
  const leavesCluster =
    to.kind === 'external' || (to.kind === 'node' && to.node.name !== node.name);
  if (!leavesCluster || !isPodIP(state, packet.src.ip) || route.dev !== 'eth0') return null;
  const cni = masqueradeRule(cniFlavour(state.config), state.config.podCIDR);
  return {
    ip,
    rule: cni.rule,
    description: `the destination is outside the pod network: ${cni.name} masquerades the pod's source address to the node's ${ip}`,
  };
}

/** The rule that masquerades a connection kube-proxy marked, as its proxy mode's tool lists it. */
function kubeProxyMasqueradeRule(state: ClusterState): string {
  return state.config.kubeProxy.mode === 'nftables'
    ? 'add rule ip kube-proxy masquerading masquerade fully-random'
    : '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully';
}

function interfaceAddress(state: ClusterState, node: Node, route: Route): string {
  switch (route.dev) {
    case 'flannel.1':
    case 'tunl0':
      return podRangeBaseIP(node);
    case 'cni0':
    case 'cilium_host':
      return podGatewayIP(node);
    default:
      // kindnet's ptp veths carry the range's gateway address; Calico's cali devices have none, so the kernel picks eth0's.
      return cniFlavour(state.config) === 'kindnet' && route.dev?.startsWith('veth')
        ? podGatewayIP(node)
        : node.ip;
  }
}
