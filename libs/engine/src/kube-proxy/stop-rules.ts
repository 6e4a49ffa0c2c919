import type { ClusterState } from '../model/cluster-state';
import type { Service, ServicePort } from '../model/resources';
import { iptablesFirewallChain, protocolLower, servicePortName } from './chain-names';
import { comment, firewallDropRule, loadBalancerJump, noEndpointsRule } from './iptables-rules';
import { virtualServerLine } from './ipvs-rules';
import { NFT_TABLE, nftChains, nftFirewallRule, nftKey } from './nftables-rules';
import { saveForm } from '../util/iptables-save-form';
import type { VipKind } from './service-match';

export type StopKind =
  | { kind: 'unallocated' }
  | { kind: 'invalid-port' }
  | { kind: 'source-range' }
  | { kind: 'no-endpoints' }
  | { kind: 'no-local-endpoints' };

export interface StopTarget {
  service?: Service;
  port?: ServicePort;
  vip?: VipKind;
  vipIP?: string;
}

/** The rule lines behind a REJECT or DROP verdict, in the mode's own syntax. */
export function rejectOrDropRules(
  state: ClusterState,
  what: StopKind,
  target: StopTarget,
): string[] {
  const mode = state.config.kubeProxy.mode;
  if (what.kind === 'unallocated') {
    return mode === 'nftables'
      ? [
          `add rule ${NFT_TABLE} cluster-ips-check ip daddr ${state.config.serviceCIDR} drop comment "Drop traffic to unallocated ClusterIPs"`,
        ]
      : [];
  }
  if (what.kind === 'invalid-port') {
    if (mode === 'nftables')
      return [
        `add rule ${NFT_TABLE} cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"`,
      ];
    if (mode === 'ipvs')
      return [
        '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT --reject-with icmp-port-unreachable',
      ];
    return [];
  }
  const { service, port, vip, vipIP } = target;
  if (!service || !port || !vip || !vipIP) return [];
  if (mode === 'iptables') return iptablesStop(what, service, port, vip, vipIP).map(saveForm);
  if (mode === 'nftables') return nftablesStop(what, service, port, vip, vipIP);
  return ipvsStop(state, what, service, port, vip, vipIP);
}

function iptablesStop(
  what: StopKind,
  service: Service,
  port: ServicePort,
  vip: VipKind,
  vipIP: string,
): string[] {
  if (what.kind === 'source-range') {
    return [
      loadBalancerJump(service, port, vipIP),
      `-A ${iptablesFirewallChain(service, port)} ${comment(`other traffic to ${servicePortName(service, port)} will be dropped by KUBE-PROXY-FIREWALL`)}`,
      firewallDropRule(service, port, vipIP),
    ];
  }
  const verdict = what.kind === 'no-endpoints' ? 'REJECT' : 'DROP';
  const rulesTarget =
    vip === 'ClusterIP'
      ? ({ kind: 'cluster-ip' } as const)
      : vip === 'NodePort'
        ? ({ kind: 'node-port' } as const)
        : ({ kind: 'external-ip', ip: vipIP } as const);
  return [noEndpointsRule(service, port, rulesTarget, verdict)];
}

function nftablesStop(
  what: StopKind,
  service: Service,
  port: ServicePort,
  vip: VipKind,
  vipIP: string,
): string[] {
  if (what.kind === 'source-range') {
    return [
      `add rule ${NFT_TABLE} firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips`,
      `add rule ${NFT_TABLE} ${nftChains.firewall(service, port)} ${nftFirewallRule(service, false)}`,
    ];
  }
  const verdict = what.kind === 'no-endpoints' ? 'goto reject-chain' : 'drop';
  const spn = servicePortName(service, port);
  const element =
    vip === 'NodePort'
      ? `add element ${NFT_TABLE} no-endpoint-nodeports { ${protocolLower(port)} . ${port.nodePort} comment "${spn}" : ${verdict} }`
      : `add element ${NFT_TABLE} no-endpoint-services { ${nftKey(vipIP, port)} comment "${spn}" : ${verdict} }`;
  return what.kind === 'no-endpoints'
    ? [element, `add rule ${NFT_TABLE} reject-chain reject`]
    : [element];
}

function ipvsStop(
  state: ClusterState,
  what: StopKind,
  service: Service,
  port: ServicePort,
  vip: VipKind,
  vipIP: string,
): string[] {
  if (what.kind === 'source-range')
    return ['-A KUBE-PROXY-FIREWALL -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j DROP'];
  const portNumber = vip === 'NodePort' ? (port.nodePort ?? port.port) : port.port;
  // A virtual server without real servers: IPVS cannot schedule the connection.
  return [virtualServerLine(state, service, port, vipIP, portNumber)];
}
