import type { ClusterState } from '../model/cluster-state';
import type { Protocol, Service, ServicePort } from '../model/resources';
import { saveForm } from '../util/iptables-save-form';
import type { ServiceEndpoint } from './endpoints';
import { IPVS_SET_COMMENTS } from './ipvs-sets';
import type { ServicePath } from './service-path';

/**
 * IPVS mode's rule lines (pkg/proxy/ipvs/proxier.go): virtual servers in the form `ipvsadm-save
 * -n` prints them (`-A -t 10.96.0.10:53 -s rr`, `-a -t … -r 10.244.1.5:53 -m -w 1`), the display
 * form of `ipvsadm -Ln` for the short view, and the iptables rules kube-proxy keeps beside them.
 * Shared by the rule dump and the probe trace, so both always show the same text.
 */

export function ipvsScheduler(state: ClusterState): string {
  return state.config.kubeProxy.ipvsScheduler || 'rr';
}

/** ipvsadm's service switch per protocol (option_from_protocol). */
export function ipvsProtocolOption(protocol: Protocol): string {
  return protocol === 'TCP' ? '-t' : protocol === 'UDP' ? '-u' : '--sctp-service';
}

/** The virtual server's identity in ipvsadm's rule form: `-t 10.96.0.10:53`. */
export function ipvsServiceAddress(protocol: Protocol, ip: string, portNumber: number): string {
  return `${ipvsProtocolOption(protocol)} ${ip}:${portNumber}`;
}

/**
 * `-A -t 10.96.0.10:53 -s rr`, with `-p <timeout>` for session affinity ClientIP (FlagPersistent,
 * netmask 255.255.255.255, which ipvsadm leaves unprinted) and `-b mh-port` for the mh scheduler
 * (kube-proxy sets FlagSourceHash, IP_VS_SVC_F_SCHED2, for it).
 */
export function ipvsServiceRule(
  state: ClusterState,
  service: Service,
  protocol: Protocol,
  ip: string,
  portNumber: number,
): string {
  const scheduler = ipvsScheduler(state);
  const persistent =
    service.sessionAffinity === 'ClientIP' ? ` -p ${service.sessionAffinityTimeoutSeconds}` : '';
  const flags = scheduler === 'mh' ? ' -b mh-port' : '';
  return `-A ${ipvsServiceAddress(protocol, ip, portNumber)} -s ${scheduler}${persistent}${flags}`;
}

/** `-a -t 10.96.0.10:53 -r 10.244.1.5:53 -m -w 1`: a masqueraded (NAT) real server of weight 1. */
export function ipvsRealServerRule(
  protocol: Protocol,
  ip: string,
  portNumber: number,
  ep: ServiceEndpoint,
): string {
  return `-a ${ipvsServiceAddress(protocol, ip, portNumber)} -r ${ep.key} -m -w 1`;
}

/** `TCP  10.96.0.10:53 rr` (`persistent <timeout>` with session affinity ClientIP): `ipvsadm -Ln`. */
export function virtualServerLine(
  state: ClusterState,
  service: Service,
  protocol: Protocol,
  ip: string,
  portNumber: number,
): string {
  const scheduler = ipvsScheduler(state);
  const flags = scheduler === 'mh' ? ' (mh-port)' : '';
  const persistent =
    service.sessionAffinity === 'ClientIP'
      ? ` persistent ${service.sessionAffinityTimeoutSeconds}`
      : '';
  return `${protocol.padEnd(4)} ${ip}:${portNumber} ${scheduler}${flags}${persistent}`;
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

/** A `-m comment --comment "<the set's comment>" -m set --match-set <set> <flags>` match, as kube-proxy writes it. */
export function setMatch(set: keyof typeof IPVS_SET_COMMENTS, flags: string): string {
  return `-m comment --comment "${IPVS_SET_COMMENTS[set]}" -m set --match-set ${set} ${flags}`;
}

/** The rule that marks a packet for masquerade, per kind of service address (writeIptablesRules). */
export function ipvsMasqRule(
  state: ClusterState,
  vip: ServicePath['vip'],
  port: ServicePort,
): string {
  switch (vip) {
    case 'ClusterIP':
      return `-A KUBE-SERVICES ${setMatch('KUBE-CLUSTER-IP', 'dst,dst')} ! -s ${state.config.podCIDR} -j KUBE-MARK-MASQ`;
    case 'NodePort': {
      const p = port.protocol;
      const flags = p === 'SCTP' ? 'dst,dst' : 'dst';
      const set = p === 'SCTP' ? 'KUBE-NODE-PORT-SCTP-HASH' : (`KUBE-NODE-PORT-${p}` as const);
      return `-A KUBE-NODE-PORT -p ${p.toLowerCase()} ${setMatch(set, flags)} -j KUBE-MARK-MASQ`;
    }
    case 'LoadBalancer':
      return '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ';
    case 'ExternalIP':
      return `-A KUBE-SERVICES ${setMatch('KUBE-EXTERNAL-IP', 'dst,dst')} -j KUBE-MARK-MASQ`;
  }
}

export const IPVS_HAIRPIN_RULE = `-A KUBE-POSTROUTING ${setMatch('KUBE-LOOP-BACK', 'dst,dst,src')} -j MASQUERADE`;

/**
 * What a packet meets in IPVS mode, as `get kube-proxy-rules` prints it: the masquerade mark or
 * the hairpin masquerade (iptables-save form), the virtual server and the real server chosen
 * (ipvsadm-save form).
 */
export function ipvsPathRules(path: ServicePath): string[] {
  const { state, service, port, vip, vipIP, endpoint } = path;
  const rules: string[] = [];
  if (path.hairpin) rules.push(saveForm(IPVS_HAIRPIN_RULE));
  else if (path.masquerade) rules.push(saveForm(ipvsMasqRule(state, vip, port)));
  const portNumber = vip === 'NodePort' ? (port.nodePort ?? port.port) : port.port;
  rules.push(
    ipvsServiceRule(state, service, port.protocol, vipIP, portNumber),
    ipvsRealServerRule(port.protocol, vipIP, portNumber, endpoint),
  );
  return rules;
}
