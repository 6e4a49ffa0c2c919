/**
 * Is a connection allowed by the cluster's policies? "both the egress policy on the source pod and
 * the ingress policy on the destination pod need to allow the connection" (network-policies.md),
 * each end walked through the tiers Admin → NetworkPolicy → Baseline → default (evaluate-direction.ts),
 * then filtered by what the CNI actually enforces (enforcement.ts). Replies of an allowed
 * connection are allowed (policies are stateful); callers judge only the first packet.
 */
import type { ClusterState } from '../model/cluster-state';
import { policyEnforcement } from './enforcement';
import { evaluateDirection, type DirectionQuery } from './evaluate-direction';
import type {
  DirectionDecision,
  PolicyConnection,
  PolicyDecision,
  PolicySet,
} from './policy-model';
import { resolvePeer } from './policy-peer';
import { readPolicies } from './read-policies';

export type {
  DirectionDecision,
  PolicyConnection,
  PolicyDecision,
  PolicyPeerRef,
} from './policy-model';
export { policyEnforcement, type PolicyEnforcement } from './enforcement';

export function evaluateConnection(state: ClusterState, conn: PolicyConnection): PolicyDecision {
  const set = readPolicies(state);
  const src = resolvePeer(state, conn.src);
  const dst = resolvePeer(state, conn.dst);
  const dstPod = dst.kind === 'pod' ? dst.pod : null;
  const common = { dstPod, protocol: conn.protocol, port: conn.port };
  const egress = decideDirection(state, set, {
    direction: 'Egress',
    subject: src,
    peer: dst,
    ...common,
  });
  const ingress = decideDirection(state, set, {
    direction: 'Ingress',
    subject: dst,
    peer: src,
    ...common,
  });
  return {
    allowed: egress.allowed && ingress.allowed,
    egress,
    ingress,
    tierChain: `egress: ${egress.tierChain} | ingress: ${ingress.tierChain}`,
  };
}

/** One direction, as the CNI enforces it; when the CNI ignores a policy that matters, says what an enforcing CNI would do. */
export function decideDirection(
  state: ClusterState,
  set: PolicySet,
  q: DirectionQuery,
): DirectionDecision {
  const full = evaluateDirection(state, set, q, { admin: true, networkPolicy: true });
  full.notes = [...new Set(full.notes)];
  const enforcement = policyEnforcement(state);
  if (enforcement.networkPolicy && enforcement.adminNetworkPolicy) return full;
  const effective = evaluateDirection(state, set, q, {
    admin: enforcement.adminNetworkPolicy,
    networkPolicy: enforcement.networkPolicy,
  });
  effective.notes = [...new Set(effective.notes)];
  const ignoredTier =
    (full.decidedBy.tier === 'NetworkPolicy' && !enforcement.networkPolicy) ||
    ((full.decidedBy.tier === 'Admin' || full.decidedBy.tier === 'Baseline') &&
      !enforcement.adminNetworkPolicy);
  const ignoredSelecting = full.selectingPolicies.filter(
    (p) => !effective.selectingPolicies.includes(p),
  );
  if (!ignoredTier && full.allowed === effective.allowed && !ignoredSelecting.length) return full;
  const cni = state.config.cni.plugin;
  const what =
    !enforcement.networkPolicy && !enforcement.adminNetworkPolicy
      ? 'NetworkPolicy'
      : !enforcement.networkPolicy
        ? 'NetworkPolicy'
        : 'AdminNetworkPolicy/BaselineAdminNetworkPolicy';
  const by = full.decidedBy.policy ?? full.selectingPolicies[0] ?? 'the policies';
  const would =
    full.allowed === effective.allowed
      ? `the outcome would be the same under an enforcing CNI (${full.explanation})`
      : `this packet would be ${full.allowed ? 'allowed' : 'dropped'} by ${by} under an enforcing CNI`;
  return {
    ...effective,
    enforced: false,
    isolated: full.isolated,
    selectingPolicies: full.selectingPolicies,
    mismatches: full.mismatches,
    explanation: `${cni} does not enforce ${what}: ${would}`,
    tierChain: `${effective.tierChain} (enforcing CNI: ${full.tierChain})`,
    notes: [...new Set([...effective.notes, ...full.notes, enforcement.note])],
  };
}
