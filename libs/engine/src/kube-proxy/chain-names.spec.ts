import type { Protocol } from '../model/resources';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import {
  iptablesEndpointChain,
  iptablesExternalChain,
  iptablesFirewallChain,
  iptablesServiceChain,
  nftEndpointChainBase,
  nftServiceChainBase,
  servicePortName,
} from './chain-names';

/** The two fields chain names depend on: namespace/name and the port's name and protocol. */
function servicePort(ref: string, portName: string | undefined, protocol: Protocol = 'TCP') {
  const [namespace, name] = ref.split('/');
  const built = clusterFromYaml(`apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  ports: [{${portName ? `name: ${portName}, ` : ''}port: 80, protocol: ${protocol}}]
`);
  const service = built.services.get(ref)!;
  return { service, port: service.ports[0] };
}

describe('ServicePortName.String()', () => {
  it.each([
    ['ns1/svc1', 'p80', 'ns1/svc1:p80'],
    ['default/website', undefined, 'default/website'],
  ])('%s port %s → %s', (ref, portName, expected) => {
    const { service, port } = servicePort(ref, portName);
    expect(servicePortName(service, port)).toBe(expected);
  });
});

describe('iptables chain names (proxier.go portProtoHash / servicePortEndpointChainName)', () => {
  const state = clusterFromYaml('');
  const builtin = (ref: string, portName: string) => {
    const service = state.services.get(ref)!;
    return { service, port: service.ports.find((p) => p.name === portName)! };
  };

  // Widely seen in real clusters' iptables-save output.
  it.each([
    ['default/kubernetes', 'https', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
    ['kube-system/kube-dns', 'dns', 'KUBE-SVC-TCOU7JCQXEZGVUNU'],
    ['kube-system/kube-dns', 'dns-tcp', 'KUBE-SVC-ERIFXISQEP7F7OF4'],
    ['kube-system/kube-dns', 'metrics', 'KUBE-SVC-JD5MR3NA4I4DYORP'],
  ])('%s:%s is %s', (ref, portName, chain) => {
    const { service, port } = builtin(ref, portName);
    expect(iptablesServiceChain(service, port)).toBe(chain);
  });

  it('ns1/svc1:p80 matches the expected dump of TestLoadBalancer', () => {
    const { service, port } = servicePort('ns1/svc1', 'p80');
    expect(iptablesServiceChain(service, port)).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(iptablesExternalChain(service, port)).toBe('KUBE-EXT-XPGD46QRK7WJZT7O');
    expect(iptablesFirewallChain(service, port)).toBe('KUBE-FW-XPGD46QRK7WJZT7O');
    expect(iptablesEndpointChain(service, port, '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });

  it('the protocol is part of the hash', () => {
    const tcp = servicePort('ns1/svc1', 'p80', 'TCP');
    const udp = servicePort('ns1/svc1', 'p80', 'UDP');
    expect(iptablesServiceChain(tcp.service, tcp.port)).not.toBe(
      iptablesServiceChain(udp.service, udp.port),
    );
  });
});

describe('nftables chain names (proxier.go servicePortChainNameBase / hashAndTruncate)', () => {
  // From the expected transaction of TestOverallNFTablesRules.
  it.each([
    [
      'ns1/svc1',
      '10.180.0.1',
      'ULMVA6XW-ns1/svc1/tcp/p80',
      '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
    ],
    [
      'ns2/svc2',
      '10.180.0.2',
      '42NFTM6N-ns2/svc2/tcp/p80',
      'SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80',
    ],
    [
      'ns3/svc3',
      '10.180.0.3',
      '4AT6LBPK-ns3/svc3/tcp/p80',
      'UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80',
    ],
    [
      'ns5/svc5',
      '10.180.0.3',
      'HVFWP5L3-ns5/svc5/tcp/p80',
      'GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
    ],
  ])('%s → service-%s, endpoint %s', (ref, ip, serviceBase, endpointBase) => {
    const { service, port } = servicePort(ref, 'p80');
    expect(nftServiceChainBase(service, port)).toBe(serviceBase);
    expect(nftEndpointChainBase(service, port, ip, 80)).toBe(endpointBase);
  });
});
