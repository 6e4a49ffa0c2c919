import type { ClusterState } from '../model/cluster-state';
import type { Deployment, EndpointSlice, Namespace, Service } from '../model/resources';
import { intToIp, parseCidr } from '../util/ip';
import {
  BUILTIN,
  NAMESPACE_NAME_LABEL,
  SERVICE_NAME_LABEL,
  podTemplateDefaults,
  serviceDefaults,
} from './defaults';
import { nextSeq, touch } from './new-state';
import { CONTROL_PLANE_TAINT, controlPlaneNodes } from './nodes';

/** The namespaces every kubeadm cluster starts with. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Every namespace carries `kubernetes.io/metadata.name` (set by the API server since v1.22, so
 * NetworkPolicies can select namespaces by name).
 */
export function namespaceObject(
  name: string,
  labels: Record<string, string>,
  createdSeq: number,
): Namespace {
  return { name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name }, createdSeq };
}

/** The n-th address of the service CIDR (1 = the `kubernetes` Service, 10 = kube-dns by kubeadm convention). */
export function serviceIP(state: ClusterState, n: number): string {
  const cidr = parseCidr(state.config.serviceCIDR);
  return cidr ? intToIp(cidr.base + n) : '';
}

export function installBuiltinNamespaces(state: ClusterState): void {
  for (const name of BUILTIN_NAMESPACES)
    state.namespaces.set(name, namespaceObject(name, {}, nextSeq(state)));
  touch(state);
}

/**
 * What `kubeadm init` creates (each left out when the input has it itself, as a cluster dump does): the `kubernetes` Service fronting the API servers (its endpoints are
 * written by the API server itself, not the EndpointSlice controller) and the CoreDNS addon
 * (kubeadm cmd/kubeadm/app/phases/addons/dns/manifests.go).
 */
export function installBuiltinObjects(
  state: ClusterState,
  inputDefines: (kind: string, namespace: string, name: string) => boolean = () => false,
): void {
  const kubernetes: Service = {
    ...serviceDefaults('default', 'kubernetes'),
    labels: { component: 'apiserver', provider: 'kubernetes' },
    clusterIP: serviceIP(state, 1),
    ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
    createdSeq: nextSeq(state),
  };
  if (!inputDefines('Service', 'default', 'kubernetes'))
    state.services.set('default/kubernetes', kubernetes);
  const apiServers = controlPlaneNodes(state);
  const slice: EndpointSlice = {
    namespace: 'default',
    name: 'kubernetes',
    labels: { [SERVICE_NAME_LABEL]: 'kubernetes' },
    annotations: {},
    createdSeq: nextSeq(state),
    origin: BUILTIN,
    serviceName: 'kubernetes',
    addressType: 'IPv4',
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    endpoints: apiServers.map((node) => ({
      addresses: [node.ip],
      conditions: { ready: true, serving: true, terminating: false },
    })),
    // Written by kube-apiserver's endpoint reconciler, not by the EndpointSlice controller.
    managedBy: 'kube-apiserver',
  };
  if (!inputDefines('EndpointSlice', 'default', 'kubernetes'))
    state.endpointSlices.set('default/kubernetes', slice);

  const dnsLabels = { 'k8s-app': 'kube-dns' };
  const coredns: Deployment = {
    namespace: 'kube-system',
    name: 'coredns',
    labels: { ...dnsLabels },
    annotations: {},
    createdSeq: nextSeq(state),
    origin: BUILTIN,
    replicas: 2,
    selector: { matchLabels: { ...dnsLabels }, matchExpressions: [] },
    template: {
      ...podTemplateDefaults(),
      labels: { ...dnsLabels },
      containers: [
        {
          name: 'coredns',
          image: 'registry.k8s.io/coredns/coredns:v1.11.3',
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
          ],
        },
      ],
      // CoreDNS resolves upstream names through the node's resolv.conf, so it must not use itself.
      dnsPolicy: 'Default',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { key: CONTROL_PLANE_TAINT.key, operator: 'Exists', effect: 'NoSchedule' },
      ],
    },
    revision: 1,
  };
  if (!inputDefines('Deployment', 'kube-system', 'coredns'))
    state.deployments.set('kube-system/coredns', coredns);

  const kubeDns: Service = {
    ...serviceDefaults('kube-system', 'kube-dns'),
    labels: {
      'k8s-app': 'kube-dns',
      'kubernetes.io/cluster-service': 'true',
      'kubernetes.io/name': 'CoreDNS',
    },
    annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    clusterIP: serviceIP(state, 10),
    selector: { ...dnsLabels },
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
    ],
    createdSeq: nextSeq(state),
  };
  if (!inputDefines('Service', 'kube-system', 'kube-dns'))
    state.services.set('kube-system/kube-dns', kubeDns);
  touch(state);
}
