import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import { cidrContains, parseCidr } from '../util/ip';
import {
  iptablesEndpointChain,
  iptablesExternalChain,
  iptablesFirewallChain,
  iptablesLocalChain,
  iptablesServiceChain,
  servicePortName,
} from './chain-names';
import {
  categorizeEndpoints,
  externallyAccessible,
  externalPolicyLocal,
  internalPolicyLocal,
} from './endpoints';
import {
  affinityJump,
  clusterIPJump,
  clusterIPMasq,
  comment,
  endpointChainRules,
  endpointJump,
  externalChainRules,
  externalIPJump,
  firewallChainRules,
  firewallDropRule,
  internalChain,
  loadBalancerJump,
  MARK_MASQ_RULE,
  nodePortJump,
  NODEPORTS_LAST_RULE,
  noEndpointsRule,
  POSTROUTING_RULES,
} from './iptables-rules';
import { hasProxyRules } from './service-match';

const FILTER_BASE_CHAINS = [
  'KUBE-NODEPORTS',
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-FIREWALL',
  'KUBE-FORWARD',
  'KUBE-PROXY-FIREWALL',
];
const FILTER_BASE_RULES = [
  '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
  '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
];

/**
 * kube-proxy's filter and nat tables on one node in iptables-save form, following the structure
 * of pkg/proxy/iptables/proxier.go syncProxyRules (same chains, rule order and comments as the
 * expected dumps in its proxier_test.go). Only kube-proxy's own chains are shown.
 */
export function renderIptables(state: ClusterState, node: Node): string {
  const filter: string[] = [];
  const services: string[] = [];
  const nodePorts: string[] = [];
  const chains = new Set<string>();
  const chainBodies: string[] = [];

  for (const service of state.services.values()) {
    if (!hasProxyRules(service)) continue;
    for (const port of service.ports) {
      const cat = categorizeEndpoints(state, service, port, node);
      const spn = servicePortName(service, port);
      const hasEndpoints = cat.hasAnyEndpoints;
      const hasInternal = hasEndpoints && (!internalPolicyLocal(service) || cat.local.length > 0);
      const hasExternal =
        hasEndpoints && (!externalPolicyLocal(service, port) || cat.local.length > 0);
      const missing = hasEndpoints ? 'DROP' : 'REJECT';
      const lbIPs = service.loadBalancerIngress.flatMap((i) => (i.ip ? [i.ip] : []));
      const usesFirewall =
        hasEndpoints && lbIPs.length > 0 && service.loadBalancerSourceRanges.length > 0;
      const usesExternal = hasEndpoints && externallyAccessible(service, port);
      const usesCluster = cat.cluster.length > 0;
      const usesLocal =
        cat.local.length > 0 &&
        (internalPolicyLocal(service) || externalPolicyLocal(service, port));

      if (hasInternal) services.push(clusterIPJump(service, port));
      else filter.push(noEndpointsRule(service, port, { kind: 'cluster-ip' }, missing));
      for (const ip of service.externalIPs) {
        if (hasEndpoints) services.push(externalIPJump(service, port, ip));
        if (!hasExternal)
          filter.push(noEndpointsRule(service, port, { kind: 'external-ip', ip }, missing));
      }
      for (const ip of lbIPs) {
        if (hasEndpoints) services.push(loadBalancerJump(service, port, ip));
        if (usesFirewall) filter.push(firewallDropRule(service, port, ip));
        if (!hasExternal)
          filter.push(noEndpointsRule(service, port, { kind: 'external-ip', ip }, missing));
      }
      if (port.nodePort) {
        if (hasEndpoints) nodePorts.push(nodePortJump(service, port));
        if (!hasExternal)
          filter.push(noEndpointsRule(service, port, { kind: 'node-port' }, missing));
      }
      if (service.healthCheckNodePort) {
        filter.push(
          `-A KUBE-NODEPORTS ${comment(`${spn} health check node port`)} -m tcp -p tcp --dport ${service.healthCheckNodePort} -j ACCEPT`,
        );
      }

      if (usesExternal) {
        chains.add(iptablesExternalChain(service, port));
        chainBodies.push(...externalChainRules(state, service, port, hasExternal));
      }
      if (usesFirewall) {
        const range = service.loadBalancerSourceRanges.some((r) => {
          const cidr = parseCidr(r.trim());
          return cidr !== null && cidrContains(cidr, node.ip);
        });
        chains.add(iptablesFirewallChain(service, port));
        chainBodies.push(...firewallChainRules(service, port, range));
      }
      if (hasInternal) chainBodies.push(clusterIPMasq(state, service, port));
      for (const [used, chain, endpoints] of [
        [usesCluster, iptablesServiceChain(service, port), cat.cluster],
        [usesLocal, iptablesLocalChain(service, port), cat.local],
      ] as const) {
        if (!used) continue;
        chains.add(chain);
        if (service.sessionAffinity === 'ClientIP')
          for (const ep of endpoints) chainBodies.push(affinityJump(chain, service, port, ep));
        endpoints.forEach((ep, i) =>
          chainBodies.push(endpointJump(chain, service, port, ep, i, endpoints.length)),
        );
      }
      if (hasInternal) chains.add(internalChain(service, port));
      for (const ep of cat.allReachable) {
        chains.add(iptablesEndpointChain(service, port, ep.key));
        chainBodies.push(...endpointChainRules(service, port, ep));
      }
    }
  }

  const natChains = [
    'KUBE-NODEPORTS',
    'KUBE-SERVICES',
    'KUBE-MARK-MASQ',
    'KUBE-POSTROUTING',
    ...chains,
  ];
  return [
    `# kube-proxy (iptables mode) on node ${node.name}: iptables-save -t filter; iptables-save -t nat (kube-proxy chains only)`,
    '*filter',
    ...FILTER_BASE_CHAINS.map((c) => `:${c} - [0:0]`),
    ...filter,
    ...FILTER_BASE_RULES,
    'COMMIT',
    '*nat',
    ...natChains.map((c) => `:${c} - [0:0]`),
    ...services,
    NODEPORTS_LAST_RULE,
    ...nodePorts,
    ...chainBodies,
    MARK_MASQ_RULE,
    ...POSTROUTING_RULES,
    'COMMIT',
    '',
  ].join('\n');
}
