import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
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
import { formatIptablesSave, type IptablesTable } from '../util/iptables-save-form';
import { hasProxyRules } from './service-match';
import { sourceRangeCoversNode } from './source-ranges';

/**
 * The jumps kube-proxy inserts at the top of the built-in chains (iptablesJumpChains in
 * pkg/proxy/iptables/proxier.go, inserted with -I so the last one ensured comes first) and the
 * localnet firewall it hooks into INPUT and OUTPUT.
 */
const FILTER_JUMPS = [
  '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
  '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  '-A INPUT -j KUBE-FIREWALL',
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A OUTPUT -j KUBE-FIREWALL',
];
const NAT_JUMPS = [
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
];
/** kube-proxy's canary: an empty chain in mangle, nat and filter whose disappearance means the tables were flushed. */
const CANARY_CHAIN = 'KUBE-PROXY-CANARY';

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
 * expected dumps in its proxier_test.go), printed as iptables-save shows them once loaded, with
 * the jumps kube-proxy inserts into the built-in chains. `kubeProxyOnly` prints kube-proxy's own
 * iptables-restore input instead (its chains only, in its argument order).
 */
export function renderIptables(
  state: ClusterState,
  node: Node,
  options: { kubeProxyOnly?: boolean } = {},
): string {
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
        const range = sourceRangeCoversNode(service, node);
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
  const filterRules = [...filter, ...FILTER_BASE_RULES];
  const natRules = [
    ...services,
    NODEPORTS_LAST_RULE,
    ...nodePorts,
    ...chainBodies,
    MARK_MASQ_RULE,
    ...POSTROUTING_RULES,
  ];
  if (options.kubeProxyOnly) {
    // What kube-proxy hands iptables-restore: its own chains, in its own argument order.
    return [
      `# kube-proxy (iptables mode) on node ${node.name}: the iptables-restore input it writes (kube-proxy chains only)`,
      '*filter',
      ...FILTER_BASE_CHAINS.map((c) => `:${c} - [0:0]`),
      ...filterRules,
      'COMMIT',
      '*nat',
      ...natChains.map((c) => `:${c} - [0:0]`),
      ...natRules,
      'COMMIT',
      '',
    ].join('\n');
  }
  const tables: IptablesTable[] = [
    { name: 'mangle', chains: [CANARY_CHAIN], rules: [] },
    {
      name: 'filter',
      chains: [...FILTER_BASE_CHAINS, CANARY_CHAIN],
      rules: [...FILTER_JUMPS, ...filterRules],
    },
    { name: 'nat', chains: [...natChains, CANARY_CHAIN], rules: [...NAT_JUMPS, ...natRules] },
  ];
  return `# kube-proxy (iptables mode) on node ${node.name}: iptables-save (kube-proxy's chains and its jumps from the built-in chains)\n${formatIptablesSave(tables)}`;
}
