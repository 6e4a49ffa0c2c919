/**
 * A NetworkPolicy whose rules add nothing: NetworkPolicies are an additive union (network-policies.md),
 * so a rule is redundant when, for every pod it applies to, every peer and port it admits is
 * already admitted by another policy selecting the same pod in the same direction. Policies with
 * no rules are not judged: they exist to isolate.
 *
 * Checked per concrete connection: pod peers by identity, each port the rule names (every port of
 * a range up to MAX_RANGE_PORTS wide, else its ends) plus the destination's container ports, and a
 * sentinel port per protocol for "any port". Traffic from or to outside the cluster (a rule
 * without peers, or an ipBlock) only counts as covered by another rule without peers or with the
 * same ipBlock.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Pod, Protocol } from '../model/resources';
import type {
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyRule,
  PolicyDirection,
} from '../policy/policy-model';
import { podsMatchingPeer, portMatches, ruleAdmits } from './peer-matching';
import { networkPolicySelects } from './policy-selection';

/** Above this many pods the pairwise check is skipped (it grows with pods squared). */
export const MAX_PODS_FOR_REDUNDANCY = 300;
const MAX_RANGE_PORTS = 1024;
/** Stands for "some port no container declares" when a rule allows every port of a protocol. */
const ANY_PORT_SENTINEL = 1;
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface RedundantPolicy {
  policy: NetworkPolicy;
  coveredBy: NetworkPolicy[];
}

interface PortProbe {
  protocol: Protocol;
  port: number;
}

export function findRedundantPolicies(
  state: ClusterState,
  policies: NetworkPolicy[],
): RedundantPolicy[] {
  const pods = [...state.pods.values()].filter((pod) => pod.ip !== '' && !pod.hostNetwork);
  if (pods.length > MAX_PODS_FOR_REDUNDANCY) return [];
  const result: RedundantPolicy[] = [];
  for (const policy of policies) {
    const coveredBy = coveringPolicies(state, policy, policies, pods);
    if (coveredBy) result.push({ policy, coveredBy });
  }
  return result;
}

/** The other policies that together allow everything `policy` allows, or null when it adds something. */
function coveringPolicies(
  state: ClusterState,
  policy: NetworkPolicy,
  all: NetworkPolicy[],
  pods: Pod[],
): NetworkPolicy[] | null {
  const selected = pods.filter((pod) => networkPolicySelects(policy, pod));
  const covering = new Set<NetworkPolicy>();
  let connections = 0;
  for (const direction of policy.policyTypes) {
    const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
    for (const subject of selected) {
      const others = all.filter(
        (p) =>
          p !== policy && p.policyTypes.includes(direction) && networkPolicySelects(p, subject),
      );
      for (const rule of rules) {
        for (const peer of rulePeers(state, rule, policy.namespace, pods)) {
          const dst = direction === 'Ingress' ? subject : peer;
          for (const probe of portProbes(rule, dst)) {
            if (!ruleAdmits(state, policy, rule, peer, dst, probe.protocol, probe.port)) continue;
            connections++;
            const by = others.find((o) =>
              rulesOf(o, direction).some((r) =>
                ruleAdmits(state, o, r, peer, dst, probe.protocol, probe.port),
              ),
            );
            if (!by) return null;
            covering.add(by);
          }
        }
        if (admitsOutside(rule) && !outsideCovered(rule, direction, subject, others, covering))
          return null;
      }
    }
  }
  return connections > 0 ? [...covering] : null;
}

function rulesOf(policy: NetworkPolicy, direction: PolicyDirection): NetworkPolicyRule[] {
  return direction === 'Ingress' ? policy.ingress : policy.egress;
}

function rulePeers(
  state: ClusterState,
  rule: NetworkPolicyRule,
  namespace: string,
  pods: Pod[],
): Pod[] {
  if (rule.peers === null) return pods;
  const matched = new Set(rule.peers.flatMap((peer) => podsMatchingPeer(state, peer, namespace)));
  return pods.filter((pod) => matched.has(pod));
}

function admitsOutside(rule: NetworkPolicyRule): boolean {
  return rule.peers === null || rule.peers.some((peer) => peer.kind === 'ipBlock');
}

/** Addresses outside the cluster: covered by a rule without peers, or one with the same ipBlock, on the same ports. */
function outsideCovered(
  rule: NetworkPolicyRule,
  direction: PolicyDirection,
  subject: Pod,
  others: NetworkPolicy[],
  covering: Set<NetworkPolicy>,
): boolean {
  const dst = direction === 'Ingress' ? subject : null;
  const blocks = rule.peers === null ? [null] : rule.peers.filter((p) => p.kind === 'ipBlock');
  for (const block of blocks) {
    const probes = portProbes(rule, dst);
    const by = others.find((o) =>
      rulesOf(o, direction).some(
        (r) =>
          peersCover(r, block) &&
          probes.every(
            (probe) =>
              r.ports === null ||
              r.ports.some((p) => portMatches(p, dst, probe.protocol, probe.port)),
          ),
      ),
    );
    if (!by) return false;
    covering.add(by);
  }
  return true;
}

function peersCover(rule: NetworkPolicyRule, block: NetworkPolicyPeer | null): boolean {
  if (rule.peers === null) return true;
  if (block === null || block.kind !== 'ipBlock') return false;
  return rule.peers.some(
    (p) => p.kind === 'ipBlock' && p.cidr === block.cidr && p.except.join() === block.except.join(),
  );
}

function portProbes(rule: NetworkPolicyRule, dst: Pod | null): PortProbe[] {
  const declared: PortProbe[] = dst
    ? dst.containers.flatMap((c) =>
        c.ports.map((p) => ({ protocol: p.protocol, port: p.containerPort })),
      )
    : [];
  if (rule.ports === null)
    return [...declared, ...PROTOCOLS.map((protocol) => ({ protocol, port: ANY_PORT_SENTINEL }))];
  const probes: PortProbe[] = [];
  for (const port of rule.ports) {
    if (port.port === undefined) probes.push({ protocol: port.protocol, port: ANY_PORT_SENTINEL });
    else if (typeof port.port === 'number') {
      const end = port.endPort ?? port.port;
      if (end - port.port <= MAX_RANGE_PORTS)
        for (let n = port.port; n <= end; n++) probes.push({ protocol: port.protocol, port: n });
      else
        probes.push(
          { protocol: port.protocol, port: port.port },
          { protocol: port.protocol, port: end },
        );
    }
    probes.push(...declared.filter((d) => portMatches(port, dst, d.protocol, d.port)));
  }
  return probes;
}
