/**
 * Reading a trace for the picture: where each hop happens (a pod, a Service, a node or outside),
 * what the hop did to the packet (DNAT/SNAT), which rule acted and in which node view to find it,
 * and which hops belong to the DNS lookup lane. A hop's `packet` is the packet as it leaves the hop,
 * so the packet before a hop is the previous hop's (the probe's first hop has no before).
 */
import type { Hop, Packet, ProbeTrace } from '@netplay/engine';
import { EXTERNAL_ID, nodeId, podId, serviceId, type ClusterPicture } from './picture-model';

export interface PodIndex {
  byIP: Map<string, string>;
}

export function podIndex(picture: ClusterPicture): PodIndex {
  const byIP = new Map<string, string>();
  const all = [...picture.nodes.flatMap((n) => n.pods), ...picture.pendingPods];
  // hostNetwork pods share their node's address: the node, not one of them, owns that IP.
  for (const pod of all) if (pod.ip && !pod.hostNetwork) byIP.set(pod.ip, pod.id);
  return { byIP };
}

const POD_SIDE = new Set(['application', 'resolver', 'pod-netns', 'loopback']);

/** The picture element a hop happens at. */
export function hopLocation(hop: Hop, index: PodIndex, picture: ClusterPicture): string {
  const service = typeof hop.details?.service === 'string' ? hop.details.service : undefined;
  if ((hop.component === 'kube-proxy' || hop.component === 'ebpf') && service) {
    const [namespace, name] = service.split('/');
    const id = serviceId(namespace, name);
    if (picture.services.some((s) => s.id === id)) return id;
  }
  const subject = typeof hop.details?.subject === 'string' ? hop.details.subject : undefined;
  if (hop.component === 'network-policy' && subject) {
    const [namespace, name] = subject.split('/');
    return podId(namespace, name);
  }
  const entry = hop.component === 'ingress-controller' ? entryOf(hop, picture) : undefined;
  if (entry) return entry;
  const towardPod =
    hop.observationPoint === 'TO_ENDPOINT' || hop.component === 'coredns'
      ? hop.packet.dst.ip
      : hop.packet.src.ip;
  if (POD_SIDE.has(hop.component) || hop.observationPoint.endsWith('ENDPOINT')) {
    const pod = index.byIP.get(towardPod);
    if (pod) return pod;
  }
  if (hop.component === 'coredns') {
    const pod = index.byIP.get(hop.packet.dst.ip);
    if (pod) return pod;
  }
  if (hop.node) return nodeId(hop.node);
  return EXTERNAL_ID;
}

function entryOf(hop: Hop, picture: ClusterPicture): string | undefined {
  const named = [hop.details?.ingress, hop.details?.gateway].find((v) => typeof v === 'string');
  if (typeof named === 'string') {
    const entry = picture.entries.find((e) => `${e.namespace}/${e.name}` === named);
    if (entry) return entry.id;
  }
  return picture.entries.length === 1 ? picture.entries[0].id : undefined;
}

export interface PacketChange {
  dnat: boolean;
  snat: boolean;
}

export function packetChange(before: Packet | undefined, after: Packet): PacketChange {
  if (!before) return { dnat: false, snat: false };
  return {
    dnat: before.dst.ip !== after.dst.ip || before.dst.port !== after.dst.port,
    snat: before.src.ip !== after.src.ip || before.src.port !== after.src.port,
  };
}

/**
 * What to call a hop's rewrite. conntrack on a reply undoes the connection's DNAT (the reply's
 * source becomes the Service address again), which is not a new SNAT rule: it is named apart.
 */
export function natLabels(hop: Hop, change: PacketChange): string[] {
  if (hop.component === 'conntrack' && hop.direction === 'reply' && (change.dnat || change.snat))
    return ['reverse NAT'];
  return [change.dnat && 'DNAT', change.snat && 'SNAT'].filter((l): l is string => Boolean(l));
}

/**
 * The packet entering hop `i`: the previous hop's packet in the same direction and the same lane
 * (the DNS lookup's packets are their own flow: the connection that follows is a new packet).
 */
export function packetBefore(hops: readonly Hop[], i: number): Packet | undefined {
  const previous = hops[i - 1];
  if (!previous || previous.direction !== hops[i].direction) return undefined;
  return isDnsHop(previous) === isDnsHop(hops[i]) ? previous.packet : undefined;
}

export function endpointText(endpoint: { ip: string; port?: number }): string {
  return endpoint.port === undefined ? endpoint.ip : `${endpoint.ip}:${endpoint.port}`;
}

export function packetLine(packet: Packet): string {
  return `${packet.protocol} ${endpointText(packet.src)} → ${endpointText(packet.dst)}`;
}

/** Which node view holds the rule a hop applied, and the text to highlight in it. */
export interface HopRule {
  view: 'kube-proxy-rules' | 'routes';
  node: string;
  match: string;
}

export function hopRule(hop: Hop): HopRule | undefined {
  if (!hop.node) return undefined;
  if ((hop.component === 'kube-proxy' || hop.component === 'snat') && hop.interface)
    return { view: 'kube-proxy-rules', node: hop.node, match: hop.interface };
  if (hop.component === 'route' && typeof hop.details?.route === 'string')
    return { view: 'routes', node: hop.node, match: hop.details.route };
  return undefined;
}

/** Lines of a node view that contain the rule's text (1-based), for highlighting. */
export function matchingLines(text: string, match: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes(match)) lines.push(i + 1);
  });
  return lines;
}

/** DNS traffic (the resolver, CoreDNS, upstream servers, and kube-proxy carrying port 53). */
export function isDnsHop(hop: Hop): boolean {
  if (hop.component === 'resolver' || hop.component === 'coredns') return true;
  if (hop.component === 'upstream-dns') return true;
  return hop.packet.dst.port === 53 || hop.packet.src.port === 53;
}

/** The hop a dropped or refused probe stopped at: its last hop. */
export function stoppingHop(trace: ProbeTrace): Hop | undefined {
  return trace.verdict === 'delivered' ? undefined : trace.hops[trace.hops.length - 1];
}

export interface PolicyDecision {
  tier: string;
  policy: string;
  action: string;
  direction?: string;
  explanation?: string;
}

/** The policy that decided a network-policy hop (`details.decidedBy`), if one did. */
export function policyDecision(hop: Hop | undefined): PolicyDecision | undefined {
  const details = hop?.details;
  const decided = details?.decidedBy as Partial<PolicyDecision> | undefined;
  if (!details || !decided || typeof decided.policy !== 'string') return undefined;
  return {
    tier: String(decided.tier ?? ''),
    policy: decided.policy,
    action: String(decided.action ?? ''),
    ...(typeof details.direction === 'string' ? { direction: details.direction } : {}),
    ...(typeof details.explanation === 'string' ? { explanation: details.explanation } : {}),
  };
}

/** The sequence of picture elements the packet visits, one per hop. */
export function hopLocations(trace: ProbeTrace, picture: ClusterPicture): string[] {
  const index = podIndex(picture);
  return trace.hops.map((hop) => hopLocation(hop, index, picture));
}
