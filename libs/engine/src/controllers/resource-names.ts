/** Resource names as the API server spells them in `… "name" not found` messages. */
export const RESOURCE_NAMES = {
  Pod: 'pods',
  Service: 'services',
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  ReplicationController: 'replicationcontrollers',
  StatefulSet: 'statefulsets.apps',
  DaemonSet: 'daemonsets.apps',
  EndpointSlice: 'endpointslices.discovery.k8s.io',
  Namespace: 'namespaces',
  Node: 'nodes',
} as const;

export type ManagedKind = keyof typeof RESOURCE_NAMES;

export function notFoundMessage(kind: ManagedKind, name: string): string {
  return `${RESOURCE_NAMES[kind]} "${name}" not found`;
}
