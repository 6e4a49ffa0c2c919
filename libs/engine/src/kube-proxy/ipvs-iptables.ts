import type { ClusterState } from '../model/cluster-state';
import type { IptablesTable } from '../util/iptables-save-form';
import { IPVS_HAIRPIN_RULE, setMatch } from './ipvs-rules';
import type { IpvsNodeState } from './ipvs-node';
import type { IpvsSetName } from './ipvs-sets';

/**
 * The iptables rules IPVS mode keeps beside its virtual servers (pkg/proxy/ipvs/proxier.go
 * createAndLinkKubeChain and writeIptablesRules), in kube-proxy's own argument order: masquerade
 * marks matched on its ipsets, the hairpin masquerade, the filter chains that stop connections to
 * ports of service addresses that IPVS does not serve, and the jumps from the built-in chains.
 */

/** The jumps kube-proxy prepends to the built-in chains (iptablesJumpChain; prepended one by one, so the last listed comes first). */
const FILTER_JUMPS = [
  '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER',
  '-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
  '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT',
  '-A FORWARD -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
  '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
  '-A OUTPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER',
];
const NAT_JUMPS = [
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
];

export const IPVS_NAT_CHAINS = [
  'KUBE-SERVICES',
  'KUBE-POSTROUTING',
  'KUBE-NODE-PORT',
  'KUBE-LOAD-BALANCER',
  'KUBE-MARK-MASQ',
];
export const IPVS_FILTER_CHAINS = [
  'KUBE-FORWARD',
  'KUBE-NODE-PORT',
  'KUBE-PROXY-FIREWALL',
  'KUBE-SOURCE-RANGES-FIREWALL',
  'KUBE-IPVS-FILTER',
  'KUBE-IPVS-OUT-FILTER',
];

/** kube-proxy writes its mark as `%#08x` of 1 << 14. */
const MASQ_MARK = '0x004000';

/**
 * ipsetWithIptablesChain: a rule per non-empty set, in this order (a Local set before its
 * masquerading sibling, so eTP=Local traffic RETURNs unmarked).
 */
type SetJump = [IpvsSetName, 'nat' | 'filter', string, string, string, string?];
const SET_JUMPS: SetJump[] = [
  ['KUBE-LOOP-BACK', 'nat', 'KUBE-POSTROUTING', 'MASQUERADE', 'dst,dst,src'],
  ['KUBE-LOAD-BALANCER', 'nat', 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst'],
  ['KUBE-LOAD-BALANCER-LOCAL', 'nat', 'KUBE-LOAD-BALANCER', 'RETURN', 'dst,dst'],
  ['KUBE-NODE-PORT-LOCAL-TCP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-TCP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-LOCAL-UDP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'udp'],
  ['KUBE-NODE-PORT-UDP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'udp'],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst,dst', 'sctp'],
  ['KUBE-NODE-PORT-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst,dst', 'sctp'],
  [
    'KUBE-LOAD-BALANCER-FW',
    'filter',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'dst,dst',
  ],
  [
    'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    'filter',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'RETURN',
    'dst,dst,src',
  ],
  [
    'KUBE-LOAD-BALANCER-SOURCE-IP',
    'filter',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'RETURN',
    'dst,dst,src',
  ],
];

/** The nat and filter rules of IPVS mode, each table's rules in the order kube-proxy writes them. */
export function ipvsIptablesRules(
  state: ClusterState,
  node: IpvsNodeState,
): { nat: string[]; filter: string[] } {
  const nonEmpty = (set: IpvsSetName) => (node.sets.get(set)?.size ?? 0) > 0;
  const nat = ['-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN'];
  const filter: string[] = [];
  for (const [set, table, from, to, match, protocol] of SET_JUMPS) {
    if (!nonEmpty(set)) continue;
    const rule =
      set === 'KUBE-LOOP-BACK'
        ? IPVS_HAIRPIN_RULE
        : `-A ${from}${protocol ? ` -p ${protocol}` : ''} ${setMatch(set, match)} -j ${to}`;
    (table === 'nat' ? nat : filter).push(rule);
  }
  if (nonEmpty('KUBE-CLUSTER-IP'))
    // --cluster-cidr local detection: off-cluster sources to a service VIP are masqueraded.
    nat.push(
      `-A KUBE-SERVICES ${setMatch('KUBE-CLUSTER-IP', 'dst,dst')} ! -s ${state.config.podCIDR} -j KUBE-MARK-MASQ`,
    );
  // Traffic to external IPs from off the machine (not bridged, not local) or to a local address.
  const externalAccept = (set: IpvsSetName) => [
    `-A KUBE-SERVICES ${setMatch(set, 'dst,dst')} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`,
    `-A KUBE-SERVICES ${setMatch(set, 'dst,dst')} -m addrtype --dst-type LOCAL -j ACCEPT`,
  ];
  if (nonEmpty('KUBE-EXTERNAL-IP'))
    nat.push(
      `-A KUBE-SERVICES ${setMatch('KUBE-EXTERNAL-IP', 'dst,dst')} -j KUBE-MARK-MASQ`,
      ...externalAccept('KUBE-EXTERNAL-IP'),
    );
  if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) nat.push(...externalAccept('KUBE-EXTERNAL-IP-LOCAL'));
  nat.push(
    '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
    '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ',
  );
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  // A node must not reach a LoadBalancer whose source ranges leave it out (kubernetes#119656).
  for (const e of node.noNodeAccess)
    filter.push(
      `-A KUBE-IPVS-OUT-FILTER -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`,
    );
  // acceptIPVSTraffic: the end of KUBE-SERVICES lets IPVS traffic through.
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER'] as const)
    if (nonEmpty(set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${set} dst,dst -j ACCEPT`);
  filter.push(
    `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    `-A KUBE-NODE-PORT ${setMatch('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')} -j ACCEPT`,
    // KUBE-IPVS-FILTER (kubernetes#72236): a service address answers only on its service ports.
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT',
  );
  nat.push(
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}`,
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}`,
  );
  return { nat, filter };
}

/** The tables as iptables-save lists them once loaded: kube-proxy's chains plus its jumps from the built-in chains. */
export function ipvsIptablesTables(state: ClusterState, node: IpvsNodeState): IptablesTable[] {
  const { nat, filter } = ipvsIptablesRules(state, node);
  return [
    { name: 'filter', chains: IPVS_FILTER_CHAINS, rules: [...FILTER_JUMPS, ...filter] },
    { name: 'nat', chains: IPVS_NAT_CHAINS, rules: [...NAT_JUMPS, ...nat] },
  ];
}
