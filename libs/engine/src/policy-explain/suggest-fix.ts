/**
 * For a probe a policy denied: the smallest change that lets it through. For each denying end, a
 * new NetworkPolicy in that end's namespace that selects the pod by its most specific stable label
 * and allows exactly this peer, protocol and port — NetworkPolicies are an additive union, so
 * adding one never takes an allowance away from another (network-policies.md). An admin-tier Deny
 * is evaluated before any NetworkPolicy and cannot be overridden by one (network-policy-api
 * AdminNetworkPolicy: "Deny … cannot be overridden by NetworkPolicy"); then the suggestion names
 * the rule to change instead.
 */
import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { Pod, Protocol } from '../model/resources';
import type { Hop, ProbeTrace } from '../trace/trace-types';
import { evaluateConnection } from '../policy/evaluate-connection';
import type { DirectionDecision, PolicyDirection } from '../policy/policy-model';
import { resolvePeer, type PolicyPeer } from '../policy/policy-peer';
import { readPolicies } from '../policy/read-policies';
import type { ProbeSpec } from '../trace/probe-spec';
import { nameFor, stableLabel } from './stable-label';
import { type SuggestedPeer, networkPolicyYaml } from './suggestion-yaml';

export interface SuggestedChange {
  direction: PolicyDirection;
  action: 'add-network-policy' | 'change-admin-policy';
  /** `namespace/name` of the NetworkPolicy to add, or the name of the admin policy to change. */
  policy: string;
  description: string;
  /** The NetworkPolicy to `kubectl apply`; absent for admin policy changes. */
  yaml?: string;
}

export interface PolicySuggestion {
  summary: string;
  changes: SuggestedChange[];
  /** Every NetworkPolicy to add, as one multi-document YAML; null when only an admin policy change can help. */
  yaml: string | null;
}

/** The connection a policy judged, as packets show it after DNAT. */
export interface JudgedConnection {
  src: PolicyPeer;
  dst: PolicyPeer;
  protocol: Protocol;
  port: number;
}

/** The suggestion for a POLICY_DENIED probe; null for any other outcome. */
export function suggestFix(
  state: ClusterState,
  probe: ProbeSpec,
  trace: ProbeTrace,
): PolicySuggestion | null {
  if (trace.dropReason !== 'POLICY_DENIED') return null;
  const conn = judgedConnection(state, trace, probe.protocol ?? trace.request.protocol);
  return conn ? suggestForConnection(state, conn) : null;
}

/**
 * The denied packet: the last request hop whose destination is no longer a Service VIP (policies
 * judge the destination pod's port after kube-proxy's DNAT).
 */
export function judgedConnection(
  state: ClusterState,
  trace: ProbeTrace,
  protocol: Protocol,
): JudgedConnection | null {
  const index = clusterIndex(state);
  const serviceIPs = new Set([...state.services.values()].map((s) => s.clusterIP));
  const requestHops = trace.hops.filter(
    (h: Hop) => h.direction === 'request' && h.packet.protocol !== 'ICMP',
  );
  const hop = [...requestHops]
    .reverse()
    .find((h) => !serviceIPs.has(h.packet.dst.ip) || index.podsByIP.has(h.packet.dst.ip));
  if (!hop || hop.packet.dst.port === undefined) return null;
  const src = resolvePeer(state, { kind: 'external', ip: hop.packet.src.ip });
  const dst = resolvePeer(state, { kind: 'external', ip: hop.packet.dst.ip });
  return { src, dst, protocol, port: hop.packet.dst.port };
}

export function suggestForConnection(
  state: ClusterState,
  conn: JudgedConnection,
): PolicySuggestion | null {
  const toRef = (p: PolicyPeer) =>
    p.kind === 'pod'
      ? { kind: 'pod' as const, pod: p.pod }
      : p.kind === 'node'
        ? { kind: 'node' as const, node: p.node }
        : { kind: 'external' as const, ip: p.ip };
  const decision = evaluateConnection(state, {
    src: toRef(conn.src),
    dst: toRef(conn.dst),
    protocol: conn.protocol,
    port: conn.port,
  });
  if (decision.allowed) return null;
  const changes: SuggestedChange[] = [];
  // Ingress first: the destination's policy is where a learner looks, and the brief's preference.
  for (const side of [decision.ingress, decision.egress]) {
    if (side.allowed) continue;
    const change =
      side.decidedBy.tier === 'Admin'
        ? adminChange(state, side)
        : networkPolicyChange(state, conn, side);
    if (change) changes.push(change);
  }
  if (changes.length === 0) return null;
  const docs = changes.flatMap((c) => (c.yaml ? [c.yaml] : []));
  return {
    summary: changes.map((c) => c.description).join(' '),
    changes,
    yaml: docs.length ? docs.join('---\n') : null,
  };
}

function networkPolicyChange(
  state: ClusterState,
  conn: JudgedConnection,
  side: DirectionDecision,
): SuggestedChange | null {
  const ingress = side.direction === 'Ingress';
  const subject = ingress ? conn.dst : conn.src;
  const other = ingress ? conn.src : conn.dst;
  if (subject.kind !== 'pod') return null;
  const pod = subject.pod;
  const podSelector = stableLabel(state, pod);
  const peer = suggestedPeer(state, other, pod);
  const base = `allow-${partName(state, conn.src)}-to-${partName(state, conn.dst)}${ingress ? '' : '-egress'}`;
  const name = freeName(state, pod.namespace, base);
  const yaml = networkPolicyYaml({
    name,
    namespace: pod.namespace,
    podSelector,
    direction: side.direction,
    peer,
    protocol: conn.protocol,
    port: conn.port,
  });
  const what = `${conn.protocol} ${conn.port}`;
  const words = ingress
    ? `Add NetworkPolicy ${pod.namespace}/${name}: it lets ${describeEnd(other)} reach ${pod.namespace}/${pod.name} on ${what}.`
    : `Add NetworkPolicy ${pod.namespace}/${name}: it lets ${pod.namespace}/${pod.name} send ${what} to ${describeEnd(other)}.`;
  const caveats: string[] = [];
  if (!side.isolated)
    caveats.push(
      `${pod.namespace}/${pod.name} becomes isolated for ${side.direction.toLowerCase()}: other ${ingress ? 'incoming' : 'outgoing'} traffic needs its own rules too.`,
    );
  if (podSelector === null)
    caveats.push(
      `${pod.namespace}/${pod.name} has no stable label, so the policy selects every pod of namespace ${pod.namespace}; label the pod and select it by that label instead.`,
    );
  if (peer.kind === 'pod' && peer.podLabels === null && other.kind === 'pod')
    caveats.push(
      `${other.pod.namespace}/${other.pod.name} has no stable label, so the rule admits every pod of its namespace.`,
    );
  return {
    direction: side.direction,
    action: 'add-network-policy',
    policy: `${pod.namespace}/${name}`,
    description: [words, ...caveats].join(' '),
    yaml,
  };
}

function adminChange(state: ClusterState, side: DirectionDecision): SuggestedChange {
  const name = side.decidedBy.policy ?? side.selectingPolicies[0] ?? 'an admin policy';
  const policy = readPolicies(state).clusterPolicies.find((p) => p.name === name);
  const kind = policy?.kind ?? 'AdminNetworkPolicy';
  const dir = side.direction.toLowerCase();
  const index = side.decidedBy.ruleIndex;
  const rule =
    index === undefined
      ? 'a rule'
      : `rule ${dir}[${index}]${side.decidedBy.ruleName ? ` (${side.decidedBy.ruleName})` : ''}`;
  const peers = side.direction === 'Ingress' ? 'from' : 'to';
  const description =
    `${kind} ${name} ${rule} denies this ${dir} at the Admin tier, which no NetworkPolicy can override: ` +
    `change that rule (narrow its ${peers} or ports, or make it Pass so NetworkPolicies decide), or add an Allow rule for this connection before it.`;
  return { direction: side.direction, action: 'change-admin-policy', policy: name, description };
}

/** The other end as a rule peer: a pod by label (plus its namespace when it is another one), anything else by /32. */
function suggestedPeer(state: ClusterState, other: PolicyPeer, subject: Pod): SuggestedPeer {
  if (other.kind !== 'pod') return { kind: 'ip', cidr: `${other.ip}/32` };
  return {
    kind: 'pod',
    podLabels: stableLabel(state, other.pod),
    namespace: other.pod.namespace === subject.namespace ? null : other.pod.namespace,
  };
}

function partName(state: ClusterState, end: PolicyPeer): string {
  if (end.kind === 'pod') return nameFor(state, end.pod);
  if (end.kind === 'node') return 'node';
  return 'external';
}

function describeEnd(end: PolicyPeer): string {
  if (end.kind === 'pod') return `${end.pod.namespace}/${end.pod.name}`;
  if (end.kind === 'node') return `node ${end.node.name} (${end.ip})`;
  return end.ip;
}

/** Policy names must be unique per namespace; a clash gets -2, -3 … */
function freeName(state: ClusterState, namespace: string, base: string): string {
  const taken = new Set(
    state.objects
      .filter((o) => o.kind === 'NetworkPolicy' && (o.namespace ?? 'default') === namespace)
      .map((o) => o.name),
  );
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
