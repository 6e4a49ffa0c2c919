import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import { protocolLower, servicePortName } from './chain-names';
import {
  categorizeEndpoints,
  externallyAccessible,
  externalPolicyLocal,
  internalPolicyLocal,
} from './endpoints';
import {
  nftAffinityRule,
  nftChains,
  nftClusterIPMasq,
  nftEndpointRules,
  nftExternalChainRules,
  nftInternalChain,
  nftKey,
  nftNumgenRule,
} from './nftables-rules';
import { hasProxyRules } from './service-match';

interface Chain {
  name: string;
  rules: string[];
}

/**
 * `nft list table ip kube-proxy` on one node, following pkg/proxy/nftables/proxier.go: the
 * service-ips / service-nodeports verdict maps, per-service `service-…`, `local-…`, `external-…`,
 * `firewall-…` and `endpoint-…` chains, and the checks for missing endpoints and unallocated IPs.
 */
export function renderNftables(state: ClusterState, node: Node): string {
  const clusterIPs = new Set<string>();
  const serviceIPs: string[] = [];
  const serviceNodePorts: string[] = [];
  const noEndpointServices: string[] = [];
  const noEndpointNodePorts: string[] = [];
  const firewallIPs: string[] = [];
  const affinitySets: Chain[] = [];
  const chains: Chain[] = [];

  for (const service of state.services.values()) {
    if (!hasProxyRules(service)) continue;
    for (const port of service.ports) {
      const cat = categorizeEndpoints(state, service, port, node);
      const spn = servicePortName(service, port);
      const proto = protocolLower(port);
      const hasEndpoints = cat.hasAnyEndpoints;
      const hasInternal = hasEndpoints && (!internalPolicyLocal(service) || cat.local.length > 0);
      const hasExternal =
        hasEndpoints && (!externalPolicyLocal(service, port) || cat.local.length > 0);
      const missing = hasEndpoints ? 'drop' : 'goto reject-chain';
      const external = nftChains.external(service, port);
      const lbIPs = service.loadBalancerIngress.flatMap((i) => (i.ip ? [i.ip] : []));
      const usesFirewall = lbIPs.length > 0 && service.loadBalancerSourceRanges.length > 0;

      clusterIPs.add(service.clusterIP);
      if (hasInternal)
        serviceIPs.push(
          `${nftKey(service.clusterIP, port)} : goto ${nftInternalChain(service, port)}`,
        );
      else
        noEndpointServices.push(`${nftKey(service.clusterIP, port)} comment "${spn}" : ${missing}`);
      for (const ip of [...service.externalIPs, ...lbIPs]) {
        if (hasEndpoints) serviceIPs.push(`${nftKey(ip, port)} : goto ${external}`);
        if (!hasExternal)
          noEndpointServices.push(`${nftKey(ip, port)} comment "${spn}" : ${missing}`);
      }
      if (usesFirewall)
        for (const ip of lbIPs)
          firewallIPs.push(`${nftKey(ip, port)} : goto ${nftChains.firewall(service, port)}`);
      if (port.nodePort) {
        if (hasEndpoints) serviceNodePorts.push(`${proto} . ${port.nodePort} : goto ${external}`);
        if (!hasExternal)
          noEndpointNodePorts.push(`${proto} . ${port.nodePort} comment "${spn}" : ${missing}`);
      }

      if (hasEndpoints && externallyAccessible(service, port))
        chains.push({
          name: external,
          rules: nftExternalChainRules(state, service, port, hasExternal),
        });
      if (usesFirewall) {
        chains.push({
          name: nftChains.firewall(service, port),
          rules: [
            `ip saddr != { ${service.loadBalancerSourceRanges.map((r) => r.trim()).join(', ')} } drop`,
          ],
        });
      }
      const usesLocal =
        cat.local.length > 0 &&
        (internalPolicyLocal(service) || externalPolicyLocal(service, port));
      for (const [used, name, endpoints] of [
        [cat.cluster.length > 0, nftChains.service(service, port), cat.cluster],
        [usesLocal, nftChains.local(service, port), cat.local],
      ] as const) {
        if (!used) continue;
        const rules =
          name === nftInternalChain(service, port) && hasInternal
            ? [nftClusterIPMasq(state, service)]
            : [];
        if (service.sessionAffinity === 'ClientIP')
          for (const ep of endpoints) rules.push(nftAffinityRule(service, port, ep));
        rules.push(nftNumgenRule(service, port, endpoints));
        chains.push({ name, rules });
      }
      for (const ep of cat.allReachable) {
        if (service.sessionAffinity === 'ClientIP') {
          affinitySets.push({
            name: nftChains.affinity(service, port, ep),
            rules: [
              'type ipv4_addr',
              'flags dynamic,timeout',
              `timeout ${service.sessionAffinityTimeoutSeconds}s`,
            ],
          });
        }
        chains.push({
          name: nftChains.endpoint(service, port, ep),
          rules: nftEndpointRules(service, port, ep),
        });
      }
    }
  }

  const out: string[] = ['table ip kube-proxy {', '\tcomment "rules for kube-proxy"'];
  const block = (head: string, lines: string[]) =>
    out.push(`\t${head} {`, ...lines.map((l) => `\t\t${l}`), '\t}');
  const elements = (items: string[]) =>
    items.length ? [`elements = { ${items.join(',\n\t\t\t     ')} }`] : [];
  block('set cluster-ips', [
    'type ipv4_addr',
    'comment "Active ClusterIPs"',
    ...elements([...clusterIPs]),
  ]);
  block('set nodeport-ips', [
    'type ipv4_addr',
    'comment "IPs that accept NodePort traffic"',
    ...elements([node.ip]),
  ]);
  const ipMap = 'type ipv4_addr . inet_proto . inet_service : verdict';
  const portMap = 'type inet_proto . inet_service : verdict';
  block('map service-ips', [
    ipMap,
    'comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"',
    ...elements(serviceIPs),
  ]);
  block('map service-nodeports', [
    portMap,
    'comment "NodePort traffic"',
    ...elements(serviceNodePorts),
  ]);
  block('map no-endpoint-services', [
    ipMap,
    'comment "vmap to drop or reject packets to services with no endpoints"',
    ...elements(noEndpointServices),
  ]);
  block('map no-endpoint-nodeports', [
    portMap,
    'comment "vmap to drop or reject packets to service nodeports with no endpoints"',
    ...elements(noEndpointNodePorts),
  ]);
  block('map firewall-ips', [
    ipMap,
    'comment "destinations that are subject to LoadBalancerSourceRanges"',
    ...elements(firewallIPs),
  ]);
  for (const set of affinitySets) block(`set ${set.name}`, set.rules);
  for (const chain of baseChains(state)) block(`chain ${chain.name}`, chain.rules);
  for (const chain of chains) block(`chain ${chain.name}`, chain.rules);
  out.push('}', '');
  return out.join('\n');
}

function baseChains(state: ClusterState): Chain[] {
  return [
    {
      name: 'nat-prerouting',
      rules: ['type nat hook prerouting priority dstnat; policy accept;', 'jump services'],
    },
    {
      name: 'nat-output',
      rules: ['type nat hook output priority -100; policy accept;', 'jump services'],
    },
    {
      name: 'nat-postrouting',
      rules: ['type nat hook postrouting priority srcnat; policy accept;', 'jump masquerading'],
    },
    {
      name: 'filter-prerouting-pre-dnat',
      rules: [
        'type filter hook prerouting priority -110; policy accept;',
        'ct state new jump firewall-check',
      ],
    },
    {
      name: 'filter-input',
      rules: [
        'type filter hook input priority -110; policy accept;',
        'ct state new jump nodeport-endpoints-check',
        'ct state new jump service-endpoints-check',
      ],
    },
    {
      name: 'filter-forward',
      rules: [
        'type filter hook forward priority -110; policy accept;',
        'ct state new jump service-endpoints-check',
        'ct state new jump cluster-ips-check',
      ],
    },
    {
      name: 'filter-output',
      rules: [
        'type filter hook output priority -110; policy accept;',
        'ct state new jump service-endpoints-check',
        'ct state new jump cluster-ips-check',
      ],
    },
    { name: 'firewall-check', rules: ['ip daddr . meta l4proto . th dport vmap @firewall-ips'] },
    {
      name: 'reject-chain',
      rules: ['comment "helper for @no-endpoint-services / @no-endpoint-nodeports"', 'reject'],
    },
    {
      name: 'cluster-ips-check',
      rules: [
        'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
        `ip daddr { ${state.config.serviceCIDR} } drop comment "Drop traffic to unallocated ClusterIPs"`,
      ],
    },
    { name: 'mark-for-masquerade', rules: ['mark set mark or 0x4000'] },
    {
      name: 'masquerading',
      rules: ['mark and 0x4000 == 0 return', 'mark set mark xor 0x4000', 'masquerade fully-random'],
    },
    {
      name: 'services',
      rules: [
        'ip daddr . meta l4proto . th dport vmap @service-ips',
        'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
      ],
    },
    {
      name: 'service-endpoints-check',
      rules: ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services'],
    },
    {
      name: 'nodeport-endpoints-check',
      rules: ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports'],
    },
  ];
}
