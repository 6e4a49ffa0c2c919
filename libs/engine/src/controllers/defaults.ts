import type { ObjectOrigin, PodTemplate, Service } from '../model/resources';

export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const BUILTIN: ObjectOrigin = { kind: 'builtin' };

export function controllerOrigin(controller: string): ObjectOrigin {
  return { kind: 'controller', controller };
}

/** A Service with the API server's defaults, for objects the engine creates itself. */
export function serviceDefaults(namespace: string, name: string): Service {
  return {
    namespace,
    name,
    labels: {},
    annotations: {},
    createdSeq: 0,
    origin: BUILTIN,
    type: 'ClusterIP',
    clusterIP: '',
    ports: [],
    externalIPs: [],
    loadBalancerSourceRanges: [],
    loadBalancerIngress: [],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None',
    sessionAffinityTimeoutSeconds: 10800,
    publishNotReadyAddresses: false,
    ipFamilies: ['IPv4'],
  };
}

export function podTemplateDefaults(): PodTemplate {
  return {
    labels: {},
    annotations: {},
    containers: [],
    hostNetwork: false,
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    nodeSelector: {},
    tolerations: [],
    ready: true,
  };
}
