import { sha256 } from '@noble/hashes/sha2';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Service } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { selectorMatches } from '../util/labels';
import { drawInt } from '../util/rng';
import { rangeContains } from '../util/address-range';
import {
  readMetalLbConfig,
  type Advertisement,
  type AddressPool,
  type BgpPeer,
} from './metallb-config';
import { openElbEipFor, openElbEips } from './openelb';
import { activeProvider } from './providers';

/** How the outside world learns where a LoadBalancer address lives. */
export type Announcement =
  /** One node answers ARP for the address (MetalLB / kube-vip / OpenELB layer2). */
  | { mode: 'L2'; announcer: Node | null; candidates: string[]; notes: string[] }
  /** Every listed node advertises a /32 route; the router spreads flows over them (ECMP). */
  | { mode: 'BGP'; speakers: Node[]; notes: string[] }
  /** Nothing announces the address (no advertisement, no eligible node). */
  | { mode: 'none'; reason: string; notes: string[] };

/** Nodes with a ready endpoint of the Service (eTP Local announces only from these). */
export function nodesWithReadyEndpoints(state: ClusterState, svc: Service): Set<string> {
  const nodes = new Set<string>();
  for (const slice of clusterIndex(state).slicesByService.get(`${svc.namespace}/${svc.name}`) ??
    []) {
    for (const ep of slice.endpoints)
      if (ep.conditions.ready && ep.nodeName) nodes.add(ep.nodeName);
  }
  return nodes;
}

export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/**
 * kubeadm labels control-plane nodes `node.kubernetes.io/exclude-from-external-load-balancers`
 * (markcontrolplane phase); MetalLB's speakers and the cloud service controller skip such nodes.
 */
export function excludedFromLoadBalancers(node: Node): boolean {
  return node.role === 'control-plane' || EXCLUDE_LB_LABEL in node.labels;
}

function hashHex(text: string): string {
  return Array.from(sha256(new TextEncoder().encode(text)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/**
 * speaker/layer2_controller.go: candidates are nodes whose speaker runs (Ready) and match an
 * L2Advertisement's nodeSelectors; with eTP Local only those with a ready local endpoint. Sorted by
 * sha256(node + "#" + ip) ascending (sortL2Candidates); the first announces.
 */
export function electL2Announcer(
  nodes: Node[],
  ip: string,
): { announcer: Node | null; order: string[] } {
  const sorted = [...nodes].sort((a, b) =>
    hashHex(`${a.name}#${ip}`) < hashHex(`${b.name}#${ip}`) ? -1 : 1,
  );
  return { announcer: sorted[0] ?? null, order: sorted.map((n) => n.name) };
}

function advertisesPool(adv: Advertisement, pool: AddressPool): boolean {
  if (!adv.pools.length && !adv.poolSelectors.length) return true;
  return (
    adv.pools.includes(pool.name) || adv.poolSelectors.some((s) => selectorMatches(s, pool.labels))
  );
}

function nodeSelected(adv: Advertisement, node: Node): boolean {
  return (
    !adv.nodeSelectors.length || adv.nodeSelectors.some((s) => selectorMatches(s, node.labels))
  );
}

/**
 * The BGPPeers a node's speaker announces an advertisement to: peers whose nodeSelectors match the
 * node (every node when empty), narrowed to the advertisement's `peers` when it lists any
 * (bgpadvertisement_types.go Peers: "When empty, the loadbalancer IP is announced to all the
 * BGPPeers configured"). No peer, no session: the route reaches no router.
 */
export function bgpSessions(peers: BgpPeer[], adv: Advertisement, node: Node): BgpPeer[] {
  return peers.filter(
    (p) =>
      (!adv.peers.length || adv.peers.includes(p.name)) &&
      (!p.nodeSelectors.length || p.nodeSelectors.some((s) => selectorMatches(s, node.labels))),
  );
}

/** Which nodes announce `ip` of `svc`, according to the active implementation. */
export function announcementFor(state: ClusterState, svc: Service, ip: string): Announcement {
  const provider = activeProvider(state);
  let ready = [...state.nodes.values()].filter((n) => n.ready);
  const local = svc.externalTrafficPolicy === 'Local' ? nodesWithReadyEndpoints(state, svc) : null;
  const eligible = (nodes: Node[]) => (local ? nodes.filter((n) => local.has(n.name)) : nodes);
  const localNote = local
    ? [
        'externalTrafficPolicy Local: only nodes with a ready endpoint of the Service announce its address.',
      ]
    : [];
  if (provider === 'metallb') {
    const excluded = ready.filter(excludedFromLoadBalancers).map((n) => n.name);
    if (excluded.length)
      localNote.push(
        `MetalLB skips ${excluded.join(', ')}: labelled ${EXCLUDE_LB_LABEL} (kubeadm sets it on control-plane nodes).`,
      );
    ready = ready.filter((n) => !excludedFromLoadBalancers(n));
    const config = readMetalLbConfig(state);
    const pool = config.pools.find((p) => p.ranges.some((r) => rangeContains(r, ip)));
    if (!pool) return { mode: 'none', reason: `${ip} is in no IPAddressPool`, notes: [] };
    const advs = config.advertisements.filter((a) => advertisesPool(a, pool));
    const bgp = advs.filter((a) => a.mode === 'BGP');
    const l2 = advs.filter((a) => a.mode === 'L2');
    if (bgp.length) {
      const speakers = eligible(
        ready.filter((n) =>
          bgp.some((a) => nodeSelected(a, n) && bgpSessions(config.peers, a, n).length),
        ),
      );
      if (speakers.length) return { mode: 'BGP', speakers, notes: localNote };
      const why = config.peers.length
        ? `no Ready node${local ? ' with a ready local endpoint' : ''} that matches the BGPAdvertisement has a session to a BGPPeer it advertises to`
        : `the BGPAdvertisement has no BGPPeer to announce to: no router hears the route for ${ip}`;
      if (!l2.length)
        return {
          mode: 'none',
          reason: `no node advertises ${ip} over BGP: ${why}`,
          notes: localNote,
        };
      localNote.push(
        `BGP announces nothing for ${ip} (${why}); the L2Advertisement of the same pool answers instead.`,
      );
    }
    if (!l2.length)
      return {
        mode: 'none',
        reason: `IPAddressPool ${pool.name} has no L2Advertisement or BGPAdvertisement: MetalLB assigns ${ip} but nobody announces it`,
        notes: [],
      };
    const candidates = eligible(ready.filter((n) => l2.some((a) => nodeSelected(a, n))));
    const { announcer, order } = electL2Announcer(candidates, ip);
    if (!announcer)
      return {
        mode: 'none',
        reason: `no node may announce ${ip}: no Ready node ${local ? 'with a ready local endpoint ' : ''}matches the L2Advertisement`,
        notes: localNote,
      };
    return { mode: 'L2', announcer, candidates: order, notes: localNote };
  }
  if (provider === 'openelb') {
    const eip = openElbEipFor(openElbEips(state), svc);
    const candidates = eligible(ready);
    if (eip?.protocol === 'bgp')
      return candidates.length
        ? { mode: 'BGP', speakers: candidates, notes: localNote }
        : { mode: 'none', reason: `no node advertises ${ip}`, notes: localNote };
    // OpenELB layer2 answers ARP from one node chosen by its leader election; the engine uses MetalLB's hash order.
    const { announcer, order } = electL2Announcer(candidates, ip);
    const notes = [
      ...localNote,
      "OpenELB layer2: the answering node comes from OpenELB's own election, modelled here with MetalLB's hash order.",
    ];
    return announcer
      ? { mode: 'L2', announcer, candidates: order, notes }
      : { mode: 'none', reason: `no Ready node can answer ARP for ${ip}`, notes };
  }
  if (provider === 'kube-vip') {
    // kube-vip ARP mode: the holder of the leader lease (plndr-svcs-lock) answers for every service
    // address; control-plane nodes run it first in the usual DaemonSet install.
    const ordered = [
      ...ready.filter((n) => n.role === 'control-plane'),
      ...ready.filter((n) => n.role !== 'control-plane'),
    ];
    // Without per-service election the lease holder announces whether or not it runs an endpoint,
    // so eTP Local traffic can land on a node that drops it.
    const leader = ordered[0] ?? null;
    const notes = [
      'kube-vip ARP mode: the leader-election winner is modelled as the first Ready control-plane node (no per-service election).',
    ];
    return leader
      ? { mode: 'L2', announcer: leader, candidates: ordered.map((n) => n.name), notes }
      : { mode: 'none', reason: `no Ready node holds kube-vip's lease for ${ip}`, notes };
  }
  return {
    mode: 'none',
    reason: `${provider} does not announce addresses on the node network`,
    notes: [],
  };
}

/** The router's ECMP hash is not knowable; the flow's next hop is drawn from the cluster's seeded stream. */
export function ecmpChoice(state: ClusterState, speakers: Node[]): Node {
  return speakers[drawInt(state, speakers.length)];
}
