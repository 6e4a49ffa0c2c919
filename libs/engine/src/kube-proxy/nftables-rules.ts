import type { ClusterState } from '../model/cluster-state';
import type { Service, ServicePort } from '../model/resources';
import { nftEndpointChainBase, nftServiceChainBase, protocolLower } from './chain-names';
import type { ServiceEndpoint } from './endpoints';
import type { ServicePath } from './service-path';
import { ipToInt } from '../util/ip';
import { sourceRangeCoversNode } from './source-ranges';

/**
 * nftables rule text as pkg/proxy/nftables/proxier.go writes it into `table ip kube-proxy`, in the
 * spelling `nft list` prints it back
 * (chain names `service-…`, `local-…`, `external-…`, `firewall-…`, `endpoint-…`).
 */
export const NFT_TABLE = 'ip kube-proxy';

export const nftChains = {
  service: (s: Service, p: ServicePort) => `service-${nftServiceChainBase(s, p)}`,
  local: (s: Service, p: ServicePort) => `local-${nftServiceChainBase(s, p)}`,
  external: (s: Service, p: ServicePort) => `external-${nftServiceChainBase(s, p)}`,
  firewall: (s: Service, p: ServicePort) => `firewall-${nftServiceChainBase(s, p)}`,
  endpoint: (s: Service, p: ServicePort, ep: ServiceEndpoint) =>
    `endpoint-${nftEndpointChainBase(s, p, ep.ip, ep.port)}`,
  affinity: (s: Service, p: ServicePort, ep: ServiceEndpoint) =>
    `affinity-${nftEndpointChainBase(s, p, ep.ip, ep.port)}`,
};

export function nftInternalChain(service: Service, port: ServicePort): string {
  return service.internalTrafficPolicy === 'Local'
    ? nftChains.local(service, port)
    : nftChains.service(service, port);
}

/** `<ip> . tcp . <port>`: the key of the service-ips / firewall-ips / no-endpoint-services maps. */
export function nftKey(ip: string, port: ServicePort): string {
  return `${ip} . ${protocolLower(port)} . ${port.port}`;
}

/**
 * Off-cluster sources to a ClusterIP are masqueraded: `ip daddr <clusterIP> <proto> dport <port>
 * ip saddr != <cluster CIDR> jump mark-for-masquerade` (the localDetector's IfNotLocalNFT).
 */
export function nftClusterIPMasq(state: ClusterState, service: Service, port: ServicePort): string {
  return `ip daddr ${service.clusterIP} ${protocolLower(port)} dport ${port.port} ip saddr != ${state.config.podCIDR} jump mark-for-masquerade`;
}

/** nft lists an anonymous set of one element as the bare element, larger ones sorted by address. */
export function nftAnonymousSet(items: string[]): string {
  if (items.length === 1) return items[0];
  const key = (item: string) => ipToInt(item.split('/')[0]);
  return `{ ${[...items].sort((a, b) => key(a) - key(b)).join(', ')} }`;
}

/** The firewall chain's one rule: sources outside loadBalancerSourceRanges (plus the LB IPs when a range covers the node) are dropped. */
export function nftFirewallRule(service: Service, rangeContainsNode: boolean): string {
  const sources = service.loadBalancerSourceRanges.map((r) => r.trim());
  if (rangeContainsNode)
    for (const ing of service.loadBalancerIngress) if (ing.ip) sources.push(ing.ip);
  return `ip saddr != ${nftAnonymousSet(sources)} drop`;
}

/** The masquerade mark as `nft list` prints it (kube-proxy writes `mark set mark or 0x4000`). */
export const NFT_MARK_MASQ_RULE = 'meta mark set meta mark | 0x00004000';
export const NFT_MASQUERADING_RULES = [
  'meta mark & 0x00004000 == 0x00000000 return',
  'meta mark set meta mark ^ 0x00004000',
  'masquerade fully-random',
];

export function nftExternalChainRules(
  state: ClusterState,
  service: Service,
  port: ServicePort,
  hasLocalEndpoints: boolean,
): string[] {
  const svc = nftChains.service(service, port);
  if (service.externalTrafficPolicy !== 'Local') return ['jump mark-for-masquerade', `goto ${svc}`];
  const rules = [
    `ip saddr ${state.config.podCIDR} goto ${svc} comment "short-circuit pod traffic"`,
    'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
    `fib saddr type local goto ${svc} comment "short-circuit local traffic"`,
  ];
  if (hasLocalEndpoints) rules.push(`goto ${nftChains.local(service, port)}`);
  return rules;
}

export function nftAffinityRule(service: Service, port: ServicePort, ep: ServiceEndpoint): string {
  return `ip saddr @${nftChains.affinity(service, port, ep)} goto ${nftChains.endpoint(service, port, ep)}`;
}

export function nftNumgenRule(
  service: Service,
  port: ServicePort,
  endpoints: ServiceEndpoint[],
): string {
  const arms = endpoints
    .map((ep, i) => `${i} : goto ${nftChains.endpoint(service, port, ep)}`)
    .join(', ');
  return `numgen random mod ${endpoints.length} vmap { ${arms} }`;
}

export function nftEndpointRules(
  service: Service,
  port: ServicePort,
  ep: ServiceEndpoint,
): string[] {
  const rules = [`ip saddr ${ep.ip} jump mark-for-masquerade`];
  if (service.sessionAffinity === 'ClientIP')
    rules.push(`update @${nftChains.affinity(service, port, ep)} { ip saddr }`);
  rules.push(`meta l4proto ${protocolLower(port)} dnat to ${ep.key}`);
  return rules;
}

function add(chain: string, rule: string): string {
  return `add rule ${NFT_TABLE} ${chain} ${rule}`;
}

/** The rules a packet traverses in nftables mode, as `add rule ip kube-proxy <chain> <rule>` lines. */
export function nftablesPathRules(path: ServicePath): string[] {
  const { state, service, port, vip, vipIP, endpoint } = path;
  const rules: string[] = [];
  if (vip === 'NodePort') {
    rules.push(
      add('services', 'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports'),
    );
    rules.push(
      `add element ${NFT_TABLE} service-nodeports { ${protocolLower(port)} . ${port.nodePort} : goto ${nftChains.external(service, port)} }`,
    );
  } else {
    rules.push(add('services', 'ip daddr . meta l4proto . th dport vmap @service-ips'));
    const target =
      vip === 'ClusterIP' ? nftInternalChain(service, port) : nftChains.external(service, port);
    rules.push(`add element ${NFT_TABLE} service-ips { ${nftKey(vipIP, port)} : goto ${target} }`);
  }
  if (vip === 'LoadBalancer' && service.loadBalancerSourceRanges.length) {
    rules.push(add('firewall-check', 'ip daddr . meta l4proto . th dport vmap @firewall-ips'));
    rules.push(
      add(
        nftChains.firewall(service, port),
        nftFirewallRule(service, sourceRangeCoversNode(service, path.node)),
      ),
    );
  }
  if (vip !== 'ClusterIP') {
    const ext = nftExternalChainRules(state, service, port, true);
    const chain = nftChains.external(service, port);
    if (service.externalTrafficPolicy !== 'Local') rules.push(...ext.map((r) => add(chain, r)));
    else if (path.externalLocalBranch === 'pod') rules.push(add(chain, ext[0]));
    else if (path.externalLocalBranch === 'node')
      rules.push(add(chain, ext[1]), add(chain, ext[2]));
    else rules.push(add(chain, ext[3]));
  } else if (path.masquerade && !path.hairpin)
    rules.push(add(nftInternalChain(service, port), nftClusterIPMasq(state, service, port)));

  const chain =
    path.policy === 'local' ? nftChains.local(service, port) : nftChains.service(service, port);
  rules.push(
    add(
      chain,
      path.viaAffinity
        ? nftAffinityRule(service, port, endpoint)
        : nftNumgenRule(service, port, path.candidates),
    ),
  );
  const epChain = nftChains.endpoint(service, port, endpoint);
  for (const rule of nftEndpointRules(service, port, endpoint)) {
    if (rule.includes('mark-for-masquerade') && !path.hairpin) continue;
    rules.push(add(epChain, rule));
  }
  if (path.masquerade)
    rules.push(
      add('mark-for-masquerade', NFT_MARK_MASQ_RULE),
      add('masquerading', NFT_MASQUERADING_RULES[2]),
    );
  return rules;
}
