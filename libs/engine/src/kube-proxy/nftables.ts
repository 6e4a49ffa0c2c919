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
  nftFirewallRule,
  NFT_MARK_MASQ_RULE,
  NFT_MASQUERADING_RULES,
  nftInternalChain,
  nftKey,
  nftNumgenRule,
} from './nftables-rules';
import { hasProxyRules } from './service-match';
import { sourceRangeCoversNode } from './source-ranges';

interface Block {
  name: string;
  lines: string[];
}

/** The map and set declarations kube-proxy's setupNFTables adds, in its order. */
const IP_MAP = 'type ipv4_addr . inet_proto . inet_service : verdict';
const PORT_MAP = 'type inet_proto . inet_service : verdict';

/**
 * `nft list table ip kube-proxy` on one node, following pkg/proxy/nftables/proxier.go: the base
 * chains on the netfilter hooks, the service-ips / service-nodeports verdict maps, per-service
 * `service-…`, `local-…`, `external-…`, `firewall-…` and `endpoint-…` chains, and the checks for
 * missing endpoints and unallocated IPs. Objects appear in the order kube-proxy creates them (nft
 * lists sets and maps first, then chains, each in creation order), rules in the spelling nft prints
 * them back. Map elements are hashed by the kernel: `nft list` may print them in another order.
 */
export function renderNftables(state: ClusterState, node: Node): string {
  const clusterIPs = new Set<string>();
  const serviceIPs: string[] = [];
  const serviceNodePorts: string[] = [];
  const noEndpointServices: string[] = [];
  const noEndpointNodePorts: string[] = [];
  const firewallIPs: string[] = [];
  const affinitySets: Block[] = [];
  const chains: Block[] = [];

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
      const usesExternal = hasEndpoints && externallyAccessible(service, port);
      const usesLocal =
        cat.local.length > 0 &&
        (internalPolicyLocal(service) || externalPolicyLocal(service, port));

      clusterIPs.add(service.clusterIP);
      if (hasInternal)
        serviceIPs.push(
          `${nftKey(service.clusterIP, port)} : goto ${nftInternalChain(service, port)}`,
        );
      else
        noEndpointServices.push(`${nftKey(service.clusterIP, port)} comment "${spn}" : ${missing}`);
      for (const ip of service.externalIPs) {
        if (hasEndpoints) serviceIPs.push(`${nftKey(ip, port)} : goto ${external}`);
        if (!hasExternal)
          noEndpointServices.push(`${nftKey(ip, port)} comment "${spn}" : ${missing}`);
      }
      for (const ip of lbIPs) {
        if (hasEndpoints) serviceIPs.push(`${nftKey(ip, port)} : goto ${external}`);
        if (usesFirewall)
          firewallIPs.push(`${nftKey(ip, port)} : goto ${nftChains.firewall(service, port)}`);
      }
      if (!hasExternal)
        for (const ip of lbIPs)
          noEndpointServices.push(`${nftKey(ip, port)} comment "${spn}" : ${missing}`);
      if (port.nodePort) {
        if (hasEndpoints) serviceNodePorts.push(`${proto} . ${port.nodePort} : goto ${external}`);
        if (!hasExternal)
          noEndpointNodePorts.push(`${proto} . ${port.nodePort} comment "${spn}" : ${missing}`);
      }

      // Chains in kube-proxy's creation order: endpoints, cluster and local policy, external, firewall.
      const endpointChains = cat.allReachable.map((ep) => ({
        name: nftChains.endpoint(service, port, ep),
        lines: nftEndpointRules(service, port, ep),
      }));
      const policyChains: Block[] = [];
      for (const [used, name, endpoints] of [
        [cat.cluster.length > 0, nftChains.service(service, port), cat.cluster],
        [usesLocal, nftChains.local(service, port), cat.local],
      ] as const) {
        if (!used) continue;
        const lines =
          name === nftInternalChain(service, port) && hasInternal
            ? [nftClusterIPMasq(state, service, port)]
            : [];
        if (service.sessionAffinity === 'ClientIP')
          for (const ep of endpoints) lines.push(nftAffinityRule(service, port, ep));
        lines.push(nftNumgenRule(service, port, endpoints));
        policyChains.push({ name, lines });
      }
      chains.push(...endpointChains, ...policyChains);
      if (usesExternal)
        chains.push({
          name: external,
          lines: nftExternalChainRules(state, service, port, hasExternal),
        });
      if (usesFirewall)
        chains.push({
          name: nftChains.firewall(service, port),
          lines: [nftFirewallRule(service, sourceRangeCoversNode(service, node))],
        });
      if (service.sessionAffinity === 'ClientIP')
        for (const ep of cat.allReachable)
          affinitySets.push({
            name: nftChains.affinity(service, port, ep),
            lines: [
              'type ipv4_addr',
              'size 65535',
              'flags dynamic,timeout',
              `timeout ${nftDuration(service.sessionAffinityTimeoutSeconds)}`,
            ],
          });
    }
  }

  const elements = (items: string[]) =>
    items.length ? [`elements = { ${items.join(',\n\t\t\t     ')} }`] : [];
  const sets: Block[] = [
    {
      name: 'set cluster-ips',
      lines: ['type ipv4_addr', 'comment "Active ClusterIPs"', ...elements([...clusterIPs])],
    },
    {
      name: 'set nodeport-ips',
      lines: [
        'type ipv4_addr',
        'comment "IPs that accept NodePort traffic"',
        ...elements([node.ip]),
      ],
    },
    {
      name: 'map no-endpoint-services',
      lines: [
        IP_MAP,
        'comment "vmap to drop or reject packets to services with no endpoints"',
        ...elements(noEndpointServices),
      ],
    },
    {
      name: 'map no-endpoint-nodeports',
      lines: [
        PORT_MAP,
        'comment "vmap to drop or reject packets to service nodeports with no endpoints"',
        ...elements(noEndpointNodePorts),
      ],
    },
    {
      name: 'map firewall-ips',
      lines: [
        IP_MAP,
        'comment "destinations that are subject to LoadBalancerSourceRanges"',
        ...elements(firewallIPs),
      ],
    },
    {
      name: 'map service-ips',
      lines: [
        IP_MAP,
        'comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"',
        ...elements(serviceIPs),
      ],
    },
    {
      name: 'map service-nodeports',
      lines: [PORT_MAP, 'comment "NodePort traffic"', ...elements(serviceNodePorts)],
    },
    ...affinitySets.map((set) => ({ name: `set ${set.name}`, lines: set.lines })),
  ];
  const blocks = [
    ...sets,
    ...[...baseChains(state), ...chains].map((c) => ({ name: `chain ${c.name}`, lines: c.lines })),
  ];
  const out = ['table ip kube-proxy {', '\tcomment "rules for kube-proxy"'];
  blocks.forEach((block, i) => {
    if (i > 0) out.push('');
    out.push(`\t${block.name} {`, ...block.lines.map((l) => `\t\t${l}`), '\t}');
  });
  out.push('}', '');
  return out.join('\n');
}

/** nft prints a timeout in its largest exact units: 10800s is `3h`, 90s is `1m30s`. */
export function nftDuration(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = seconds;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || '0s';
}

/**
 * The chains setupNFTables creates, in its order: the base chains on the hooks, the chains they
 * jump to, then the helpers. The filter chains run at dstnat - 10, before DNAT, so they see the
 * Service address; the ClusterIP check on locally generated traffic runs in
 * filter-output-post-dnat (dstnat + 10), after nat-output's DNAT, so a connection from the node to
 * a valid ClusterIP port is already rewritten to its endpoint when `ip daddr @cluster-ips reject`
 * looks at it. nft lists -110 on the prerouting hook as `dstnat - 10`; the other hooks print the
 * number.
 */
function baseChains(state: ClusterState): Block[] {
  const base = (type: string, hook: string, priority: string, jumps: string[]) => [
    `type ${type} hook ${hook} priority ${priority}; policy accept;`,
    ...jumps,
  ];
  return [
    {
      name: 'filter-prerouting',
      lines: base('filter', 'prerouting', 'dstnat - 10', ['ct state new jump firewall-check']),
    },
    {
      name: 'filter-input',
      lines: base('filter', 'input', '-110', [
        'ct state new jump nodeport-endpoints-check',
        'ct state new jump service-endpoints-check',
      ]),
    },
    {
      name: 'filter-forward',
      lines: base('filter', 'forward', '-110', [
        'ct state new jump service-endpoints-check',
        'ct state new jump cluster-ips-check',
      ]),
    },
    {
      name: 'filter-output',
      lines: base('filter', 'output', '-110', [
        'ct state new jump service-endpoints-check',
        'ct state new jump firewall-check',
      ]),
    },
    {
      name: 'filter-output-post-dnat',
      lines: base('filter', 'output', '-90', ['ct state new jump cluster-ips-check']),
    },
    { name: 'nat-prerouting', lines: base('nat', 'prerouting', 'dstnat', ['jump services']) },
    { name: 'nat-output', lines: base('nat', 'output', '-100', ['jump services']) },
    { name: 'nat-postrouting', lines: base('nat', 'postrouting', 'srcnat', ['jump masquerading']) },
    {
      name: 'nodeport-endpoints-check',
      lines: ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports'],
    },
    {
      name: 'service-endpoints-check',
      lines: ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services'],
    },
    { name: 'firewall-check', lines: ['ip daddr . meta l4proto . th dport vmap @firewall-ips'] },
    {
      name: 'services',
      lines: [
        'ip daddr . meta l4proto . th dport vmap @service-ips',
        'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
      ],
    },
    { name: 'masquerading', lines: NFT_MASQUERADING_RULES },
    {
      name: 'cluster-ips-check',
      lines: [
        'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
        `ip daddr ${state.config.serviceCIDR} drop comment "Drop traffic to unallocated ClusterIPs"`,
      ],
    },
    { name: 'mark-for-masquerade', lines: [NFT_MARK_MASQ_RULE] },
    {
      name: 'reject-chain',
      lines: ['comment "helper for @no-endpoint-services / @no-endpoint-nodeports"', 'reject'],
    },
  ];
}
