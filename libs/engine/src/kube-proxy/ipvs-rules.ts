import type { ClusterState } from '../model/cluster-state';
import type { Service, ServicePort } from '../model/resources';
import type { ServiceEndpoint } from './endpoints';
import type { ServicePath } from './service-path';

/**
 * IPVS mode: one virtual server per service address (`ipvsadm -Ln` lines) plus the iptables/ipset
 * rules kube-proxy keeps for masquerading (pkg/proxy/ipvs/proxier.go).
 */

export function ipvsScheduler(state: ClusterState): string {
  return state.config.kubeProxy.ipvsScheduler || 'rr';
}

/** `TCP  10.96.0.10:53 rr` (`persistent <timeout>` with session affinity ClientIP). */
export function virtualServerLine(
  state: ClusterState,
  service: Service,
  port: ServicePort,
  ip: string,
  portNumber: number,
): string {
  const persistent =
    service.sessionAffinity === 'ClientIP'
      ? ` persistent ${service.sessionAffinityTimeoutSeconds}`
      : '';
  return `${port.protocol}  ${ip}:${portNumber} ${ipvsScheduler(state)}${persistent}`;
}

/** `  -> 10.244.0.2:53                Masq    1      0          0` (ipvsadm's `%-28s %-7s %-6d %-10u %-10u`). */
export function realServerLine(ep: ServiceEndpoint): string {
  return `  -> ${ep.key.padEnd(28)} ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} 0`;
}

export const IPVS_HEADER = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

export function ipvsMasqRule(
  state: ClusterState,
  vip: ServicePath['vip'],
  port: ServicePort,
): string {
  switch (vip) {
    case 'ClusterIP':
      return `-A KUBE-SERVICES ! -s ${state.config.podCIDR} -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ`;
    case 'NodePort': {
      const p = port.protocol;
      return `-A KUBE-NODE-PORT -p ${p.toLowerCase()} -m comment --comment "Kubernetes nodeport ${p} port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-${p} dst -j KUBE-MARK-MASQ`;
    }
    case 'LoadBalancer':
      return '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ';
    case 'ExternalIP':
      return '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ';
  }
}

export const IPVS_HAIRPIN_RULE =
  '-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE';

/** What a packet meets in IPVS mode: the masquerade mark (if any), the virtual server and the real server chosen. */
export function ipvsPathRules(path: ServicePath): string[] {
  const { state, service, port, vip, vipIP, endpoint } = path;
  const rules: string[] = [];
  if (path.hairpin) rules.push(IPVS_HAIRPIN_RULE);
  else if (path.masquerade) rules.push(ipvsMasqRule(state, vip, port));
  const portNumber = vip === 'NodePort' ? (port.nodePort ?? port.port) : port.port;
  rules.push(virtualServerLine(state, service, port, vipIP, portNumber), realServerLine(endpoint));
  return rules;
}
