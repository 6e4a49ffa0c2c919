import type { ClusterState } from '../model/cluster-state';
import type { KubeProxyMode } from '../model/cluster-config';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { clusterWith } from '../testing/seed-fixtures';

/**
 * Test fixtures in YAML: Services without a selector plus hand-written EndpointSlices, so every
 * endpoint's address, node and conditions are exact (the packetFlowTest style of
 * pkg/proxy/{iptables,nftables}/proxier_test.go, moved onto the default kind cluster:
 * nodes control-plane 172.18.0.2, worker 172.18.0.3, worker2 172.18.0.4; pods 10.244.0.0/16).
 */

export interface EndpointSpec {
  ip: string;
  node: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export function serviceYaml(name: string, spec: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec:
${spec
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;
}

export function sliceYaml(
  service: string,
  port: number,
  endpoints: EndpointSpec[],
  portName = 'http',
  protocol = 'TCP',
): string {
  const eps = endpoints
    .map((e) => {
      const ready = e.ready ?? true;
      return `- addresses: [${e.ip}]
  nodeName: ${e.node}
  conditions: {ready: ${ready}, serving: ${e.serving ?? ready}, terminating: ${e.terminating ?? false}}`;
    })
    .join('\n');
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${service}-${portName}-${protocol.toLowerCase()}
  namespace: default
  labels: {kubernetes.io/service-name: ${service}}
addressType: IPv4
ports: [{name: ${portName}, port: ${port}, protocol: ${protocol}}]
endpoints:
${eps}
`;
}

/** `kubeProxy` is the Cluster spec's value: a mode (`nftables`) or `{mode: ipvs, ipvsScheduler: sh}`. */
export function clusterYaml(kubeProxy: KubeProxyMode | string, extra = ''): string {
  return clusterWith(`  kubeProxy: ${kubeProxy}\n${extra}`);
}

/** The shared packet-flow cluster; `kubeProxy` picks kube-proxy's backend (see clusterYaml). */
export function packetFlowCluster(
  kubeProxy: KubeProxyMode | string = 'iptables',
  extra = '',
): ClusterState {
  const state = clusterFromYaml(
    clusterYaml(kubeProxy, extra),
    serviceYaml(
      'website',
      'clusterIP: 10.96.100.10\nports: [{name: http, port: 80, targetPort: 8080}]',
    ),
    sliceYaml('website', 8080, [
      { ip: '10.244.1.10', node: 'worker' },
      { ip: '10.244.2.10', node: 'worker2' },
      { ip: '10.244.1.11', node: 'worker' },
    ]),
    serviceYaml(
      'single',
      'clusterIP: 10.96.100.11\nports: [{name: http, port: 80, targetPort: 8080}]',
    ),
    sliceYaml('single', 8080, [{ ip: '10.244.2.20', node: 'worker2' }]),
    serviceYaml('empty', 'clusterIP: 10.96.100.12\nports: [{name: http, port: 80}]'),
    serviceYaml(
      'web-np',
      'type: NodePort\nclusterIP: 10.96.100.13\nports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]',
    ),
    sliceYaml('web-np', 8080, [{ ip: '10.244.2.30', node: 'worker2' }]),
    serviceYaml(
      'local-np',
      'type: NodePort\nexternalTrafficPolicy: Local\nclusterIP: 10.96.100.14\nports: [{name: http, port: 80, targetPort: 8080, nodePort: 30081}]',
    ),
    sliceYaml('local-np', 8080, [{ ip: '10.244.2.31', node: 'worker2' }]),
    serviceYaml(
      'itp-local',
      'internalTrafficPolicy: Local\nclusterIP: 10.96.100.15\nports: [{name: http, port: 80, targetPort: 8080}]',
    ),
    sliceYaml('itp-local', 8080, [{ ip: '10.244.2.32', node: 'worker2' }]),
    serviceYaml(
      'lb',
      'type: LoadBalancer\nclusterIP: 10.96.100.16\nloadBalancerSourceRanges: [172.18.0.0/24, 203.0.113.0/25]\nports: [{name: http, port: 80, targetPort: 8080, nodePort: 30082}]',
    ),
    sliceYaml('lb', 8080, [{ ip: '10.244.2.33', node: 'worker2' }]),
    serviceYaml(
      'draining',
      'clusterIP: 10.96.100.17\nports: [{name: http, port: 80, targetPort: 8080}]',
    ),
    sliceYaml('draining', 8080, [
      { ip: '10.244.1.40', node: 'worker', ready: false, serving: false },
      { ip: '10.244.2.40', node: 'worker2', ready: false, serving: true, terminating: true },
    ]),
    serviceYaml(
      'sticky',
      'clusterIP: 10.96.100.18\nsessionAffinity: ClientIP\nports: [{name: http, port: 80, targetPort: 8080}]',
    ),
    sliceYaml('sticky', 8080, [
      { ip: '10.244.1.50', node: 'worker' },
      { ip: '10.244.1.51', node: 'worker' },
      { ip: '10.244.2.50', node: 'worker2' },
    ]),
    serviceYaml(
      'ext',
      'clusterIP: 10.96.100.19\nexternalIPs: [192.0.2.99]\nports: [{name: http, port: 80, targetPort: 8080}]',
    ),
    sliceYaml('ext', 8080, [{ ip: '10.244.2.60', node: 'worker2' }]),
    serviceYaml('dns', 'clusterIP: 10.96.100.20\nports: [{name: dns, port: 53, protocol: UDP}]'),
    sliceYaml('dns', 53, [{ ip: '10.244.2.70', node: 'worker2' }], 'dns', 'UDP'),
  );
  // What MetalLB or a cloud controller would write into status.loadBalancer.ingress.
  state.services.get('default/lb')!.loadBalancerIngress = [{ ip: '192.0.2.80' }];
  state.version++;
  return state;
}
