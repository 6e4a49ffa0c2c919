/**
 * The policy tiers for one end of a connection, in the order of the network-policy-api
 * (ClusterNetworkPolicySpec.Tier): Admin (by priority, lower first; rules in order; first match
 * wins; Allow/Deny decide, Pass skips to NetworkPolicy) → NetworkPolicy (isolation + additive
 * union: any rule of any selecting policy allows) → Baseline (first match) → default allow.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Pod, Protocol } from '../model/resources';
import { selectorMatches } from '../util/labels';
import { clusterPolicySelects, matchClusterPolicyRule } from './cluster-policy-rules';
import { matchNetworkPolicyRule } from './network-policy-rules';
import type {
  ClusterPolicy,
  ClusterPolicyTier,
  DirectionDecision,
  PolicyDirection,
  PolicyMismatch,
  PolicySet,
} from './policy-model';
import { describePeer, podRef, type PolicyPeer } from './policy-peer';

export interface DirectionQuery {
  direction: PolicyDirection;
  /** The end whose policies apply: the source for Egress, the destination for Ingress. */
  subject: PolicyPeer;
  /** The other end. */
  peer: PolicyPeer;
  /** The destination pod (named ports resolve against it), if the destination is a pod. */
  dstPod: Pod | null;
  protocol: Protocol;
  port: number;
}

/** Which tiers to walk: a CNI that ignores admin policies or NetworkPolicy skips their tiers. */
export interface TierSwitches {
  admin: boolean;
  networkPolicy: boolean;
}

type Decision = Omit<
  DirectionDecision,
  | 'direction'
  | 'subject'
  | 'enforced'
  | 'isolated'
  | 'selectingPolicies'
  | 'mismatches'
  | 'notes'
  | 'tierChain'
>;

export function evaluateDirection(
  state: ClusterState,
  set: PolicySet,
  q: DirectionQuery,
  tiers: TierSwitches,
): DirectionDecision {
  const base = {
    direction: q.direction,
    enforced: true,
    isolated: false,
    selectingPolicies: [] as string[],
    mismatches: [] as PolicyMismatch[],
    notes: [] as string[],
  };
  const dir = q.direction.toLowerCase();
  if (q.subject.kind !== 'pod') {
    const explanation = `${describePeer(q.subject)} is not a pod: no ${dir} policy applies to it`;
    return {
      ...base,
      subject: null,
      allowed: true,
      decidedBy: { tier: 'Default', action: 'Allow' },
      explanation,
      tierChain: '[Default] Allow (not a pod)',
    };
  }
  const pod = q.subject.pod;
  const subject = podRef(pod);
  if (q.peer.kind === 'pod' && q.peer.pod === pod) {
    // network-policies.md: "a pod cannot block access to itself".
    return {
      ...base,
      subject,
      allowed: true,
      decidedBy: { tier: 'Default', action: 'Allow' },
      explanation: 'a pod cannot block access to itself (loopback)',
      tierChain: '[Default] Allow (loopback)',
    };
  }
  const out: DirectionDecision = {
    ...base,
    subject,
    allowed: true,
    decidedBy: { tier: 'Default', action: 'Allow' },
    explanation: '',
    tierChain: '',
  };
  const chain: string[] = [];
  const finish = (decision: Decision, step: string): DirectionDecision => {
    chain.push(step);
    return { ...out, ...decision, tierChain: chain.join(' → ') };
  };

  if (tiers.admin) {
    const admin = walkClusterTier(state, set, 'Admin', pod, q, out);
    if (admin && admin.action !== 'Pass')
      return finish(
        clusterDecision(admin, q, 'Admin'),
        `[Admin] ${admin.action} (${admin.policy.name})`,
      );
    if (admin) chain.push(`[Admin] Pass (${admin.policy.name})`);
    else if (out.selectingPolicies.length) chain.push('[Admin] no rule matched');
  }

  if (tiers.networkPolicy) {
    const selecting = set.networkPolicies.filter(
      (p) =>
        p.namespace === pod.namespace &&
        p.policyTypes.includes(q.direction) &&
        selectorMatches(p.podSelector, pod.labels),
    );
    if (selecting.length) {
      out.isolated = true;
      const names = selecting.map((p) => `${p.namespace}/${p.name}`);
      out.selectingPolicies.push(...names);
      if (q.peer.kind === 'node' && q.peer.node.name === pod.nodeName) {
        // "traffic to and from the node where a Pod is running is always allowed" (network-policies.md).
        const explanation = `${dir} between ${subject} and its own node ${q.peer.node.name} is always allowed, whatever the policies say`;
        return finish(
          { allowed: true, decidedBy: { tier: 'NetworkPolicy', action: 'Allow' }, explanation },
          '[NetworkPolicy] Allowed (own node)',
        );
      }
      for (const policy of selecting) {
        const rules = q.direction === 'Ingress' ? policy.ingress : policy.egress;
        const name = `${policy.namespace}/${policy.name}`;
        for (let i = 0; i < rules.length; i++) {
          const m = matchNetworkPolicyRule(
            state,
            policy,
            rules[i],
            q.peer,
            q.dstPod,
            q.protocol,
            q.port,
          );
          if (m.matches) {
            const explanation = `${dir} allowed by NetworkPolicy ${name} rule ${dir}[${i}]`;
            return finish(
              {
                allowed: true,
                decidedBy: { tier: 'NetworkPolicy', policy: name, ruleIndex: i, action: 'Allow' },
                explanation,
              },
              `[NetworkPolicy] Allowed (${name} ${dir}[${i}])`,
            );
          }
          out.mismatches.push({ policy: name, ruleIndex: i, reason: m.reason, detail: m.detail });
        }
      }
      const explanation = `${subject} is isolated for ${dir} by ${names.join(', ')} and no ${dir} rule allows ${describePeer(q.peer)} on ${q.port}/${q.protocol}`;
      return finish(
        {
          allowed: false,
          decidedBy: { tier: 'NetworkPolicy', policy: names[0], action: 'Isolated' },
          explanation,
        },
        `[NetworkPolicy] Dropped (${names.join(', ')})`,
      );
    }
    if (set.networkPolicies.length) chain.push('[NetworkPolicy] not isolated');
  }

  if (tiers.admin) {
    const before = out.selectingPolicies.length;
    const baseline = walkClusterTier(state, set, 'Baseline', pod, q, out);
    if (baseline && baseline.action !== 'Pass')
      return finish(
        clusterDecision(baseline, q, 'Baseline'),
        `[Baseline] ${baseline.action} (${baseline.policy.name})`,
      );
    if (baseline) chain.push(`[Baseline] Pass (${baseline.policy.name})`);
    else if (out.selectingPolicies.length > before) chain.push('[Baseline] no rule matched');
  }
  const explanation = out.selectingPolicies.length
    ? `no policy decided ${dir} for ${subject}: allowed by default`
    : `no policy selects ${subject} for ${dir}: allowed`;
  return finish(
    { allowed: true, decidedBy: { tier: 'Default', action: 'Allow' }, explanation },
    '[Default] Allow',
  );
}

interface ClusterMatch {
  policy: ClusterPolicy;
  ruleIndex: number;
  ruleName?: string;
  action: 'Allow' | 'Deny' | 'Pass';
}

/** Policies of one tier selecting the pod, by priority then name; the first matching rule decides. */
function walkClusterTier(
  state: ClusterState,
  set: PolicySet,
  tier: ClusterPolicyTier,
  pod: Pod,
  q: DirectionQuery,
  out: DirectionDecision,
): ClusterMatch | null {
  const policies = set.clusterPolicies
    .filter(
      (p) =>
        p.tier === tier &&
        (q.direction === 'Ingress' ? p.ingress : p.egress).length > 0 &&
        clusterPolicySelects(state, p, pod),
    )
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  out.selectingPolicies.push(...policies.map((p) => p.name));
  for (const policy of policies) {
    const rules = q.direction === 'Ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const m = matchClusterPolicyRule(
        state,
        rule,
        q.peer,
        q.dstPod,
        q.protocol,
        q.port,
        out.notes,
      );
      if (m.matches) {
        const twins = policies
          .filter((p) => p !== policy && p.priority === policy.priority)
          .map((p) => p.name);
        if (tier === 'Admin' && twins.length) {
          out.notes.push(
            `${policy.name} shares priority ${policy.priority} with ${twins.join(', ')}: an implementation may apply either; the engine evaluates them in name order.`,
          );
        }
        return {
          policy,
          ruleIndex: i,
          ...(rule.name ? { ruleName: rule.name } : {}),
          action: rule.action,
        };
      }
      out.mismatches.push({
        policy: policy.name,
        ruleIndex: i,
        reason: m.reason,
        detail: m.detail,
      });
    }
  }
  return null;
}

function clusterDecision(
  match: ClusterMatch,
  q: DirectionQuery,
  tier: 'Admin' | 'Baseline',
): Decision {
  const dir = q.direction.toLowerCase();
  const rule = `rule ${dir}[${match.ruleIndex}]${match.ruleName ? ` "${match.ruleName}"` : ''}`;
  const verb = match.action === 'Allow' ? 'allowed' : 'denied';
  const explanation = `${dir} ${verb} by ${match.policy.kind} ${match.policy.name} ${rule}${tier === 'Admin' ? ` (priority ${match.policy.priority})` : ''}`;
  return {
    allowed: match.action === 'Allow',
    decidedBy: {
      tier,
      policy: match.policy.name,
      ruleIndex: match.ruleIndex,
      ...(match.ruleName ? { ruleName: match.ruleName } : {}),
      action: match.action,
    },
    explanation,
  };
}
