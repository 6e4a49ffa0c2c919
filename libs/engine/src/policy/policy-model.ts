/**
 * Network policies after reading and validation, in one normalised shape per family:
 * networking.k8s.io/v1 NetworkPolicy, and the network-policy-api cluster-wide policies
 * (v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy, v1alpha2 ClusterNetworkPolicy),
 * folded into tiers. Readers live in read-*.ts; evaluation in evaluate-*.ts.
 */
import type { EngineIssue } from '../model/issues';
import type { LabelSelector, Node, Pod, Protocol } from '../model/resources';

export type PolicyDirection = 'Ingress' | 'Egress';

/** NetworkPolicyPeer. `podSelector`/`namespaceSelector` absent = null (not the same as `{}`). */
export type NetworkPolicyPeer =
  | { kind: 'selector'; podSelector: LabelSelector | null; namespaceSelector: LabelSelector | null }
  | { kind: 'ipBlock'; cidr: string; except: string[] };

/** NetworkPolicyPort. `port` absent = every port of the protocol; a string is a named port. */
export interface NetworkPolicyPort {
  protocol: Protocol;
  port?: number | string;
  endPort?: number;
}

/**
 * One ingress or egress rule. `peers: null` = `from`/`to` absent or empty (all peers, external
 * IPs included); `ports: null` = `ports` absent or empty (all ports and protocols).
 */
export interface NetworkPolicyRule {
  peers: NetworkPolicyPeer[] | null;
  ports: NetworkPolicyPort[] | null;
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  /** After defaulting: Ingress always unless given; Egress only when `egress` rules exist. */
  policyTypes: PolicyDirection[];
  ingress: NetworkPolicyRule[];
  egress: NetworkPolicyRule[];
  doc: number;
}

export type ClusterPolicyTier = 'Admin' | 'Baseline';
/** v1alpha2 `Accept` is read as `Allow`; BaselineAdminNetworkPolicy has no `Pass`. */
export type ClusterPolicyAction = 'Allow' | 'Deny' | 'Pass';

export type ClusterPolicySubject =
  | { kind: 'namespaces'; namespaceSelector: LabelSelector }
  | { kind: 'pods'; namespaceSelector: LabelSelector; podSelector: LabelSelector };

export type ClusterPolicyPeer =
  | { kind: 'namespaces'; namespaceSelector: LabelSelector }
  | { kind: 'pods'; namespaceSelector: LabelSelector; podSelector: LabelSelector }
  | { kind: 'nodes'; nodeSelector: LabelSelector }
  | { kind: 'networks'; cidrs: string[] }
  | { kind: 'domainNames'; domains: string[] };

export type ClusterPolicyPort =
  | { kind: 'number'; protocol: Protocol; port: number }
  | { kind: 'named'; name: string }
  | { kind: 'range'; protocol: Protocol; start: number; end: number };

export interface ClusterPolicyRule {
  name?: string;
  action: ClusterPolicyAction;
  peers: ClusterPolicyPeer[];
  /** null = all ports. */
  ports: ClusterPolicyPort[] | null;
  /** Set when the rule is invalid: per the API, an invalid Allow matches nothing, an invalid Deny/Pass denies all ("fail closed"). */
  invalid?: string;
}

export interface ClusterPolicy {
  /** `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or `ClusterNetworkPolicy`. */
  kind: string;
  apiVersion: string;
  name: string;
  tier: ClusterPolicyTier;
  /** Lower value = higher precedence (0-1000). BANP has none (0). */
  priority: number;
  subject: ClusterPolicySubject;
  /** Evaluated in order; the first rule that matches decides. */
  ingress: ClusterPolicyRule[];
  egress: ClusterPolicyRule[];
  doc: number;
}

export interface PolicySet {
  networkPolicies: NetworkPolicy[];
  clusterPolicies: ClusterPolicy[];
  issues: EngineIssue[];
}

/** One side of a connection as the packet shows it: a pod, a node (hostNetwork pods are their node), or an outside address. */
export type PolicyPeerRef =
  { kind: 'pod'; pod: Pod } | { kind: 'node'; node: Node } | { kind: 'external'; ip: string };

/**
 * A connection to judge. `port` is the destination pod's port AFTER kube-proxy's DNAT; `src` is the
 * source as the packet carries it at the destination (after any SNAT).
 */
export interface PolicyConnection {
  src: PolicyPeerRef;
  dst: PolicyPeerRef;
  protocol: Protocol;
  port: number;
}

export type PolicyTierName = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'Default';

export interface PolicyMismatch {
  policy: string;
  ruleIndex: number;
  reason: 'peer' | 'port' | 'protocol';
  detail: string;
}

/** What the policies of one end (the source's egress or the destination's ingress) say. */
export interface DirectionDecision {
  direction: PolicyDirection;
  /** `namespace/pod` whose policies were evaluated; null when that end is not a pod (nothing to isolate). */
  subject: string | null;
  /** False when the CNI ignores a policy that would change the outcome (e.g. flannel and NetworkPolicy). */
  enforced: boolean;
  /** Selected by a NetworkPolicy with this direction in its policyTypes. */
  isolated: boolean;
  allowed: boolean;
  decidedBy: {
    tier: PolicyTierName;
    /** `namespace/name` for NetworkPolicies; the object name for cluster-wide policies. */
    policy?: string;
    ruleIndex?: number;
    ruleName?: string;
    action: 'Allow' | 'Deny' | 'Pass' | 'Isolated';
  };
  /** Every policy whose subject/podSelector selects the subject in this direction, in evaluation order. */
  selectingPolicies: string[];
  mismatches: PolicyMismatch[];
  explanation: string;
  /** The tiers walked, e.g. `[Admin] Pass (ns-policy) → [NetworkPolicy] Dropped (demo/deny-all)`. */
  tierChain: string;
  /** Simplifications and ambiguities met on the way (same-priority admin policies, domainNames peers). */
  notes: string[];
}

export interface PolicyDecision {
  allowed: boolean;
  egress: DirectionDecision;
  ingress: DirectionDecision;
  /** Both directions' chains: `egress: … | ingress: …`. */
  tierChain: string;
}
