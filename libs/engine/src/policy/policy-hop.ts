/**
 * The `network-policy` hops of a trace: the source's egress check (on the source node, after
 * kube-proxy's DNAT, before routing) and the destination's ingress check (on the destination
 * node, before delivery), each judging the packet as it is at that point — the destination
 * port after DNAT, the source address after any SNAT (a NodePort with externalTrafficPolicy
 * Cluster arrives from a node IP). Only the first packet of a connection is judged: replies of an
 * allowed connection pass through conntrack (network-policies.md: policies are stateful).
 */
import type { PathResult } from '../cni/path-result';
import { type HopDraft, hop } from '../trace/hop-draft';
import { type NetworkEndpoint, endpointForIP } from '../cni/network-endpoint';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod, Protocol } from '../model/resources';
import type { Packet } from '../trace/trace-types';
import { decideDirection } from './evaluate-connection';
import type { DirectionDecision, PolicyDirection, PolicyPeerRef, PolicySet } from './policy-model';
import { resolvePeer } from './policy-peer';
import { readPolicies } from './read-policies';

export interface PolicyCheck {
  /** Null when the cluster has no policies at all (nothing to show). */
  hop: HopDraft | null;
  allowed: boolean;
  decision: DirectionDecision | null;
  /** One sentence for the trace's reason when dropped. */
  reason: string;
  notes: string[];
}

export function hasPolicies(set: PolicySet): boolean {
  return set.networkPolicies.length > 0 || set.clusterPolicies.length > 0;
}

/** A NetworkEndpoint (what sits behind an address) as a policy peer. */
export function peerOfEndpoint(endpoint: NetworkEndpoint): PolicyPeerRef {
  if (endpoint.kind === 'pod') return { kind: 'pod', pod: endpoint.pod };
  if (endpoint.kind === 'node') return { kind: 'node', node: endpoint.node };
  return { kind: 'external', ip: endpoint.ip };
}

export interface PolicyCheckInput {
  direction: PolicyDirection;
  src: PolicyPeerRef;
  dst: PolicyPeerRef;
  /** The packet as it is at this point (post-DNAT port, post-SNAT source). */
  packet: Packet;
  /** The node whose datapath runs the check. */
  node: Node;
}

/** Judges one direction of a packet and renders the hop; allowed when the cluster has no policies. */
export function checkPolicy(state: ClusterState, input: PolicyCheckInput): PolicyCheck {
  const set = readPolicies(state);
  if (!hasPolicies(set) || input.packet.protocol === 'ICMP')
    return { hop: null, allowed: true, decision: null, reason: '', notes: [] };
  const protocol: Protocol = input.packet.protocol;
  const port = input.packet.dst.port ?? 0;
  const dst = resolvePeer(state, input.dst);
  const src = resolvePeer(state, input.src);
  const egress = input.direction === 'Egress';
  const decision = decideDirection(state, set, {
    direction: input.direction,
    subject: egress ? src : dst,
    peer: egress ? dst : src,
    dstPod: dst.kind === 'pod' ? dst.pod : null,
    protocol,
    port,
  });
  const who = decision.subject ?? 'this end';
  const verdict = decision.allowed ? 'allowed' : 'DROPPED';
  const description = `${input.direction.toLowerCase()} policy of ${who}: ${verdict} — ${decision.explanation} [${decision.tierChain}]`;
  const reason = decision.allowed ? '' : `dropped by network policy: ${decision.explanation}`;
  return {
    hop: hop({
      component: 'network-policy',
      observationPoint: egress ? 'FROM_ENDPOINT' : 'TO_ENDPOINT',
      node: input.node.name,
      packet: input.packet,
      description,
      details: { ...decision },
    }),
    allowed: decision.allowed,
    decision,
    reason,
    notes: decision.notes,
  };
}

/** What a gate adds to a trace: hops in order, notes, and the outcome when the packet is dropped. */
export interface PolicyGate {
  hops: HopDraft[];
  notes: string[];
  denied: { verdict: 'dropped'; reason: string; dropReason: 'POLICY_DENIED' } | null;
}

function gateNotes(check: PolicyCheck): string[] {
  const notes = [...check.notes];
  if (check.decision && !check.decision.enforced) notes.push(check.decision.explanation);
  return notes;
}

/** The source pod's egress check, on its node, with the destination after DNAT; nothing for node or external sources. */
export function egressGate(
  state: ClusterState,
  sourcePod: Pod | undefined,
  target: NetworkEndpoint,
  packet: Packet,
): PolicyGate {
  const node = sourcePod ? state.nodes.get(sourcePod.nodeName) : undefined;
  if (!sourcePod || !node) return { hops: [], notes: [], denied: null };
  const check = checkPolicy(state, {
    direction: 'Egress',
    src: { kind: 'pod', pod: sourcePod },
    dst: peerOfEndpoint(target),
    packet,
    node,
  });
  return {
    hops: check.hop ? [check.hop] : [],
    notes: gateNotes(check),
    denied: check.allowed
      ? null
      : { verdict: 'dropped', reason: check.reason, dropReason: 'POLICY_DENIED' },
  };
}

/**
 * The destination pod's ingress check, judged on the packet as it arrives (after any SNAT), placed
 * before the hops that deliver it into the pod; when dropped, the delivery hops are cut off.
 */
export function ingressGate(
  state: ClusterState,
  target: NetworkEndpoint,
  path: PathResult,
): PolicyGate {
  if (target.kind !== 'pod' || path.outcome.kind !== 'arrived')
    return { hops: path.hops, notes: [], denied: null };
  const check = checkPolicy(state, {
    direction: 'Ingress',
    src: { kind: 'external', ip: path.packet.src.ip },
    dst: { kind: 'pod', pod: target.pod },
    packet: path.packet,
    node: target.node,
  });
  if (!check.hop) return { hops: path.hops, notes: [], denied: null };
  let at = path.hops.length;
  while (
    at > 0 &&
    path.hops[at - 1].observationPoint === 'TO_ENDPOINT' &&
    path.hops[at - 1].node === target.node.name
  )
    at--;
  const hops = check.allowed
    ? [...path.hops.slice(0, at), check.hop, ...path.hops.slice(at)]
    : [...path.hops.slice(0, at), check.hop];
  return {
    hops,
    notes: gateNotes(check),
    denied: check.allowed
      ? null
      : { verdict: 'dropped', reason: check.reason, dropReason: 'POLICY_DENIED' },
  };
}

/**
 * A DNS query's policy checks: the client pod's egress (UDP 53 to the CoreDNS pod after DNAT) and
 * the answering pod's ingress. A dropped query is never answered: the resolver times out.
 */
export function dnsQueryGate(
  state: ClusterState,
  sourcePod: Pod | undefined,
  packet: Packet,
): PolicyGate {
  const target = endpointForIP(state, packet.dst.ip);
  const egress = egressGate(
    state,
    sourcePod && !sourcePod.hostNetwork ? sourcePod : undefined,
    target,
    packet,
  );
  if (egress.denied || target.kind !== 'pod') return egress;
  const check = checkPolicy(state, {
    direction: 'Ingress',
    src: { kind: 'external', ip: packet.src.ip },
    dst: { kind: 'pod', pod: target.pod },
    packet,
    node: target.node,
  });
  const hops = check.hop ? [...egress.hops, check.hop] : egress.hops;
  return {
    hops,
    notes: [...egress.notes, ...gateNotes(check)],
    denied: check.allowed
      ? null
      : { verdict: 'dropped', reason: check.reason, dropReason: 'POLICY_DENIED' },
  };
}
