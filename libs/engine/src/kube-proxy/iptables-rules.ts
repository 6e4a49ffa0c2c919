import type { ClusterState } from '../model/cluster-state';
import type { Service, ServicePort } from '../model/resources';
import {
  iptablesEndpointChain,
  iptablesExternalChain,
  iptablesFirewallChain,
  iptablesLocalChain,
  iptablesServiceChain,
  protocolLower,
  servicePortName,
} from './chain-names';
import { iptablesProbability } from './choose-endpoint';
import type { ServiceEndpoint } from './endpoints';
import { saveForm } from '../util/iptables-save-form';
import type { ServicePath } from './service-path';

/**
 * Single iptables rule lines exactly as iptables-save prints what pkg/proxy/iptables/proxier.go
 * writes (compare the expected dumps in its proxier_test.go). Shared by the rule dump and the
 * probe trace, so both always show the same text.
 */

/** iptables-save quotes a comment only when it contains spaces. */
export function comment(text: string): string {
  return `-m comment --comment ${/\s/.test(text) ? `"${text}"` : text}`;
}

function proto(port: ServicePort): string {
  const p = protocolLower(port);
  return `-m ${p} -p ${p}`;
}

export function internalChain(service: Service, port: ServicePort): string {
  return service.internalTrafficPolicy === 'Local'
    ? iptablesLocalChain(service, port)
    : iptablesServiceChain(service, port);
}

export function clusterIPJump(service: Service, port: ServicePort): string {
  const spn = servicePortName(service, port);
  return `-A KUBE-SERVICES ${comment(`${spn} cluster IP`)} ${proto(port)} -d ${service.clusterIP} --dport ${port.port} -j ${internalChain(service, port)}`;
}

export function externalIPJump(service: Service, port: ServicePort, ip: string): string {
  return `-A KUBE-SERVICES ${comment(`${servicePortName(service, port)} external IP`)} ${proto(port)} -d ${ip} --dport ${port.port} -j ${iptablesExternalChain(service, port)}`;
}

export function loadBalancerJump(service: Service, port: ServicePort, ip: string): string {
  const target = service.loadBalancerSourceRanges.length
    ? iptablesFirewallChain(service, port)
    : iptablesExternalChain(service, port);
  return `-A KUBE-SERVICES ${comment(`${servicePortName(service, port)} loadbalancer IP`)} ${proto(port)} -d ${ip} --dport ${port.port} -j ${target}`;
}

export function nodePortJump(service: Service, port: ServicePort): string {
  return `-A KUBE-NODEPORTS ${comment(servicePortName(service, port))} ${proto(port)} --dport ${port.nodePort} -j ${iptablesExternalChain(service, port)}`;
}

export const NODEPORTS_LAST_RULE =
  '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';

/** `--cluster-cidr` based local detection: off-cluster sources to a ClusterIP get masqueraded. */
export function clusterIPMasq(state: ClusterState, service: Service, port: ServicePort): string {
  return `-A ${internalChain(service, port)} ${comment(`${servicePortName(service, port)} cluster IP`)} ${proto(port)} -d ${service.clusterIP} --dport ${port.port} ! -s ${state.config.podCIDR} -j KUBE-MARK-MASQ`;
}

/** The KUBE-EXT chain body: masquerade-all for eTP=Cluster; the short-circuits then KUBE-SVL for eTP=Local. */
export function externalChainRules(
  state: ClusterState,
  service: Service,
  port: ServicePort,
  hasLocalEndpoints: boolean,
): string[] {
  const ext = iptablesExternalChain(service, port);
  const svc = iptablesServiceChain(service, port);
  const spn = servicePortName(service, port);
  if (service.externalTrafficPolicy !== 'Local') {
    return [
      `-A ${ext} ${comment(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`,
      `-A ${ext} -j ${svc}`,
    ];
  }
  const rules = [
    `-A ${ext} ${comment(`pod traffic for ${spn} external destinations`)} -s ${state.config.podCIDR} -j ${svc}`,
    `-A ${ext} ${comment(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    `-A ${ext} ${comment(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`,
  ];
  if (hasLocalEndpoints) rules.push(`-A ${ext} -j ${iptablesLocalChain(service, port)}`);
  return rules;
}

export function firewallChainRules(
  service: Service,
  port: ServicePort,
  rangeContainsNode: boolean,
): string[] {
  const fw = iptablesFirewallChain(service, port);
  const ext = iptablesExternalChain(service, port);
  const spn = servicePortName(service, port);
  const sources = [...service.loadBalancerSourceRanges];
  // "For VIP-like LBs … a request from a node to the VIP will … loop back with the source IP set
  // to the VIP": when a range covers the node IP, the LB IPs are allowed as sources too.
  if (rangeContainsNode)
    for (const ing of service.loadBalancerIngress) if (ing.ip) sources.push(ing.ip);
  return [
    ...sources.map((s) => `-A ${fw} ${comment(`${spn} loadbalancer IP`)} -s ${s} -j ${ext}`),
    `-A ${fw} ${comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)}`,
  ];
}

export function firewallDropRule(service: Service, port: ServicePort, ip: string): string {
  return `-A KUBE-PROXY-FIREWALL ${comment(`${servicePortName(service, port)} traffic not accepted by ${iptablesFirewallChain(service, port)}`)} ${proto(port)} -d ${ip} --dport ${port.port} -j DROP`;
}

/** Rule i of n in a KUBE-SVC/KUBE-SVL chain: `--probability 1/(n-i)` except the last. */
export function endpointJump(
  chain: string,
  service: Service,
  port: ServicePort,
  ep: ServiceEndpoint,
  i: number,
  n: number,
): string {
  const stat =
    i < n - 1 ? ` -m statistic --mode random --probability ${iptablesProbability(n - i)}` : '';
  return `-A ${chain} ${comment(`${servicePortName(service, port)} -> ${ep.key}`)}${stat} -j ${iptablesEndpointChain(service, port, ep.key)}`;
}

export function affinityJump(
  chain: string,
  service: Service,
  port: ServicePort,
  ep: ServiceEndpoint,
): string {
  const sep = iptablesEndpointChain(service, port, ep.key);
  return `-A ${chain} ${comment(`${servicePortName(service, port)} -> ${ep.key}`)} -m recent --name ${sep} --rcheck --seconds ${service.sessionAffinityTimeoutSeconds} --reap -j ${sep}`;
}

export function endpointChainRules(
  service: Service,
  port: ServicePort,
  ep: ServiceEndpoint,
): string[] {
  const sep = iptablesEndpointChain(service, port, ep.key);
  const spn = servicePortName(service, port);
  const recent = service.sessionAffinity === 'ClientIP' ? ` -m recent --name ${sep} --set` : '';
  return [
    `-A ${sep} ${comment(spn)} -s ${ep.ip} -j KUBE-MARK-MASQ`,
    `-A ${sep} ${comment(spn)}${recent} ${proto(port)} -j DNAT --to-destination ${ep.key}`,
  ];
}

/** Filter-table verdicts for a VIP without (local) endpoints: `has no endpoints` → REJECT, `has no local endpoints` → DROP. */
export function noEndpointsRule(
  service: Service,
  port: ServicePort,
  target: { kind: 'cluster-ip' } | { kind: 'external-ip'; ip: string } | { kind: 'node-port' },
  verdict: 'REJECT' | 'DROP',
): string {
  const spn = servicePortName(service, port);
  const why = comment(`${spn} has no ${verdict === 'DROP' ? 'local ' : ''}endpoints`);
  if (target.kind === 'cluster-ip')
    return `-A KUBE-SERVICES ${why} ${proto(port)} -d ${service.clusterIP} --dport ${port.port} -j ${verdict}`;
  if (target.kind === 'external-ip')
    return `-A KUBE-EXTERNAL-SERVICES ${why} ${proto(port)} -d ${target.ip} --dport ${port.port} -j ${verdict}`;
  return `-A KUBE-EXTERNAL-SERVICES ${why} -m addrtype --dst-type LOCAL ${proto(port)} --dport ${port.nodePort} -j ${verdict}`;
}

export const MARK_MASQ_RULE = '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000';
export const POSTROUTING_RULES = [
  '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
  '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
  // kube-proxy appends --random-fully when iptables supports it (1.6.2 and later).
  '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
];

/** The rule lines a packet traverses in iptables mode, in order, as iptables-save prints them. */
export function iptablesPathRules(path: ServicePath): string[] {
  return kubeProxyPathRules(path).map(saveForm);
}

function kubeProxyPathRules(path: ServicePath): string[] {
  const { state, service, port, vip, vipIP, endpoint } = path;
  const rules: string[] = [];
  if (vip === 'ClusterIP') rules.push(clusterIPJump(service, port));
  else if (vip === 'ExternalIP') rules.push(externalIPJump(service, port, vipIP));
  else if (vip === 'LoadBalancer') {
    rules.push(loadBalancerJump(service, port, vipIP));
    if (service.loadBalancerSourceRanges.length)
      rules.push(
        `-A ${iptablesFirewallChain(service, port)} ${comment(`${servicePortName(service, port)} loadbalancer IP`)} -s ${path.sourceRangeMatched ?? path.srcIP} -j ${iptablesExternalChain(service, port)}`,
      );
  } else rules.push(NODEPORTS_LAST_RULE, nodePortJump(service, port));

  if (vip !== 'ClusterIP') {
    const ext = externalChainRules(state, service, port, true);
    if (service.externalTrafficPolicy !== 'Local')
      rules.push(...(path.masquerade ? ext : ext.slice(1)));
    else if (path.externalLocalBranch === 'pod') rules.push(ext[0]);
    else if (path.externalLocalBranch === 'node') rules.push(ext[1], ext[2]);
    else rules.push(ext[3]);
  } else if (path.masquerade && !path.hairpin) rules.push(clusterIPMasq(state, service, port));

  const chain =
    path.policy === 'local'
      ? iptablesLocalChain(service, port)
      : iptablesServiceChain(service, port);
  rules.push(
    path.viaAffinity
      ? affinityJump(chain, service, port, endpoint)
      : endpointJump(chain, service, port, endpoint, path.ruleIndex, path.candidates.length),
  );
  const [hairpinRule, dnatRule] = endpointChainRules(service, port, endpoint);
  if (path.hairpin) rules.push(hairpinRule);
  rules.push(dnatRule);
  if (path.masquerade) rules.push(MARK_MASQ_RULE, POSTROUTING_RULES[2]);
  return rules;
}
