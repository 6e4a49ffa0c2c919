import { stringify } from 'yaml';
import type { ClusterState } from '../model/cluster-state';
import { getDeployments } from './deployments-table';
import { endpointsObject, endpointsOf, getEndpoints } from './endpoints-table';
import {
  getGateways,
  getHttpRoutes,
  getNetworkPolicies,
  storedObjectBody,
  storedObjects,
} from './stored-kinds-table';
import {
  getDaemonSets,
  getReplicaSets,
  getReplicationControllers,
  getStatefulSets,
} from './workloads-table';
import { getEndpointSlices } from './endpointslices-table';
import { toKubernetesList, toKubernetesObject, type KubernetesObject } from './kubernetes-object';
import {
  listedNamespace,
  selectClusterScoped,
  selectNamespaced,
  type ListOptions,
} from './list-options';
import { noResources } from './kubectl-table';
import { getNamespaces } from './namespaces-table';
import { getIngresses } from './ingresses-table';
import {
  dnsRecordsView,
  upstreamRecordsView,
  envView,
  cniRulesView,
  kubeProxyRulesView,
  podRoutesView,
  resolvConfView,
  routesView,
} from './node-views';
import { getNodes } from './nodes-table';
import { getPods } from './pods-table';
import { getServices } from './services-table';
import { failure, type ViewResult } from './view-result';

export type ResourceKind =
  | 'pods'
  | 'services'
  | 'endpoints'
  | 'endpointslices'
  | 'nodes'
  | 'deployments'
  | 'replicasets'
  | 'replicationcontrollers'
  | 'statefulsets'
  | 'daemonsets'
  | 'namespaces'
  | 'networkpolicies'
  | 'ingresses'
  | 'gateways'
  | 'httproutes';
export type NodeViewKind =
  | 'resolv.conf'
  | 'env'
  | 'dns-records'
  | 'upstream-records'
  | 'kube-proxy-rules'
  | 'cni-rules'
  | 'routes';

/** kubectl's resource names and short names, plus the node-level views. */
const KIND_ALIASES: Record<string, ResourceKind | NodeViewKind> = {
  pods: 'pods',
  pod: 'pods',
  po: 'pods',
  services: 'services',
  service: 'services',
  svc: 'services',
  endpoints: 'endpoints',
  ep: 'endpoints',
  endpointslices: 'endpointslices',
  endpointslice: 'endpointslices',
  nodes: 'nodes',
  node: 'nodes',
  no: 'nodes',
  deployments: 'deployments',
  deployment: 'deployments',
  deploy: 'deployments',
  replicasets: 'replicasets',
  replicaset: 'replicasets',
  rs: 'replicasets',
  replicationcontrollers: 'replicationcontrollers',
  replicationcontroller: 'replicationcontrollers',
  rc: 'replicationcontrollers',
  statefulsets: 'statefulsets',
  statefulset: 'statefulsets',
  sts: 'statefulsets',
  daemonsets: 'daemonsets',
  daemonset: 'daemonsets',
  ds: 'daemonsets',
  networkpolicies: 'networkpolicies',
  networkpolicy: 'networkpolicies',
  netpol: 'networkpolicies',
  namespaces: 'namespaces',
  namespace: 'namespaces',
  ns: 'namespaces',
  ingresses: 'ingresses',
  ingress: 'ingresses',
  ing: 'ingresses',
  gateways: 'gateways',
  gateway: 'gateways',
  gtw: 'gateways',
  httproutes: 'httproutes',
  httproute: 'httproutes',
  'resolv.conf': 'resolv.conf',
  env: 'env',
  'dns-records': 'dns-records',
  'upstream-records': 'upstream-records',
  'kube-proxy-rules': 'kube-proxy-rules',
  iptables: 'kube-proxy-rules',
  'cni-rules': 'cni-rules',
  routes: 'routes',
};

export const VIEW_KINDS = Object.keys(KIND_ALIASES);

export interface ViewOptions extends ListOptions {
  /** `-o`: table (default), `wide`, `json` or `yaml`. */
  output?: 'wide' | 'json' | 'yaml';
  /** For `resolv.conf` and `env`: `ns/name` (or a workload name, see findPod). */
  pod?: string;
  /** For `kube-proxy-rules`, `cni-rules` and `routes`. */
  node?: string;
  /** For `kube-proxy-rules`: kube-proxy's own rule input only, without the built-in chains' jumps. */
  kubeProxyOnly?: boolean;
}

export function resolveKind(kind: string): ResourceKind | NodeViewKind | null {
  return KIND_ALIASES[kind.toLowerCase()] ?? null;
}

/** One entry point for the CLI and the scenario runner: `kubectl get KIND` or a node-level view. */
export function getView(state: ClusterState, kind: string, options: ViewOptions = {}): ViewResult {
  if (kind.includes(',')) return severalKindsView(state, kind.split(','), options);
  const resolved = resolveKind(kind);
  if (!resolved)
    return failure(
      'UNKNOWN_KIND',
      `the server doesn't have a resource type "${kind}" (known: ${VIEW_KINDS.join(', ')})`,
    );
  switch (resolved) {
    case 'resolv.conf':
      return options.pod
        ? resolvConfView(state, options.pod)
        : failure('MISSING_FIELD', 'resolv.conf needs a pod (--pod ns/name)');
    case 'env':
      return options.pod
        ? envView(state, options.pod)
        : failure('MISSING_FIELD', 'env needs a pod (--pod ns/name)');
    case 'dns-records':
      return dnsRecordsView(state);
    case 'upstream-records':
      return upstreamRecordsView(state);
    case 'kube-proxy-rules':
      return options.node
        ? kubeProxyRulesView(state, options.node, { kubeProxyOnly: options.kubeProxyOnly })
        : missingNode(state, 'kube-proxy-rules');
    case 'cni-rules':
      return options.node ? cniRulesView(state, options.node) : missingNode(state, 'cni-rules');
    case 'routes':
      if (options.pod) return podRoutesView(state, options.pod);
      return options.node
        ? routesView(state, options.node)
        : failure(
            'MISSING_FIELD',
            `routes needs a node (--node NAME) or a pod (--pod ns/name; nodes: ${[...state.nodes.keys()].join(', ')})`,
          );
    default:
      return resourceView(state, resolved, options);
  }
}

function missingNode(state: ClusterState, kind: string): ViewResult {
  return failure(
    'MISSING_FIELD',
    `${kind} needs a node (--node NAME; nodes: ${[...state.nodes.keys()].join(', ')})`,
  );
}

function resourceView(state: ClusterState, kind: ResourceKind, options: ViewOptions): ViewResult {
  const list: ListOptions = { ...options, wide: options.wide || options.output === 'wide' };
  const structured = options.output === 'json' || options.output === 'yaml';
  // Only a named get or a structured output needs the objects; a 5,000-pod table does not.
  const objects =
    structured || options.name !== undefined ? kubernetesObjects(state, kind, list) : [];
  if (options.name !== undefined && objects.length === 0)
    return failure('NOT_FOUND', `${kind} "${options.name}" not found`);
  if (structured) {
    const value = options.name !== undefined ? objects[0] : toKubernetesList(objects);
    // kubectl indents JSON by 4 spaces and ends with a newline.
    return {
      text: options.output === 'json' ? `${JSON.stringify(value, null, 4)}\n` : stringify(value),
      issues: [],
    };
  }
  return { text: TABLES[kind](state, list), issues: [] };
}

/** How `kubectl get a,b` names rows: the resource's singular name and API group. */
const QUALIFIED_NAMES: Record<ResourceKind, string> = {
  pods: 'pod',
  services: 'service',
  endpoints: 'endpoints',
  endpointslices: 'endpointslice.discovery.k8s.io',
  nodes: 'node',
  deployments: 'deployment.apps',
  replicasets: 'replicaset.apps',
  replicationcontrollers: 'replicationcontroller',
  statefulsets: 'statefulset.apps',
  daemonsets: 'daemonset.apps',
  namespaces: 'namespace',
  networkpolicies: 'networkpolicy.networking.k8s.io',
  ingresses: 'ingress.networking.k8s.io',
  gateways: 'gateway.gateway.networking.k8s.io',
  httproutes: 'httproute.gateway.networking.k8s.io',
};

/**
 * `kubectl get pods,svc`: one table per kind in the order asked, separated by a blank line, names
 * as `kind/name`, kinds with nothing to show left out; `-o json|yaml` gives one List of them all.
 */
function severalKindsView(state: ClusterState, names: string[], options: ViewOptions): ViewResult {
  const kinds: ResourceKind[] = [];
  for (const name of names) {
    const kind = resolveKind(name);
    if (!kind)
      return failure(
        'UNKNOWN_KIND',
        `the server doesn't have a resource type "${name}" (known: ${VIEW_KINDS.join(', ')})`,
      );
    if (!(kind in QUALIFIED_NAMES))
      return failure(
        'INVALID_FIELD',
        `${name} is a node-level view and cannot be listed with other kinds`,
      );
    if (!kinds.includes(kind as ResourceKind)) kinds.push(kind as ResourceKind);
  }
  const list: ListOptions = { ...options, wide: options.wide || options.output === 'wide' };
  if (options.output === 'json' || options.output === 'yaml') {
    const value = toKubernetesList(kinds.flatMap((kind) => kubernetesObjects(state, kind, list)));
    const text =
      options.output === 'json' ? `${JSON.stringify(value, null, 4)}\n` : stringify(value);
    return { text, issues: [] };
  }
  const tables = kinds
    .map((kind) => TABLES[kind](state, { ...list, namePrefix: `${QUALIFIED_NAMES[kind]}/` }))
    .filter((text) => !text.startsWith('No resources found'));
  if (tables.length) return { text: tables.join('\n'), issues: [] };
  return options.name !== undefined
    ? failure('NOT_FOUND', `${names.join(',')} "${options.name}" not found`)
    : { text: noResources(listedNamespace(list)), issues: [] };
}

const TABLES: Record<ResourceKind, (state: ClusterState, options: ListOptions) => string> = {
  pods: getPods,
  services: getServices,
  endpointslices: getEndpointSlices,
  nodes: getNodes,
  deployments: getDeployments,
  replicasets: getReplicaSets,
  replicationcontrollers: getReplicationControllers,
  statefulsets: getStatefulSets,
  daemonsets: getDaemonSets,
  namespaces: getNamespaces,
  ingresses: getIngresses,
  endpoints: getEndpoints,
  networkpolicies: getNetworkPolicies,
  gateways: getGateways,
  httproutes: getHttpRoutes,
};

function kubernetesObjects(
  state: ClusterState,
  kind: ResourceKind,
  options: ListOptions,
): KubernetesObject[] {
  switch (kind) {
    case 'pods':
      return selectNamespaced(state.pods.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'Pod', value }),
      );
    case 'services':
      return selectNamespaced(state.services.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'Service', value }),
      );
    case 'endpointslices':
      return selectNamespaced(state.endpointSlices.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'EndpointSlice', value }),
      );
    case 'deployments':
      return selectNamespaced(state.deployments.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'Deployment', value }),
      );
    case 'replicasets':
      return selectNamespaced(state.replicaSets.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'ReplicaSet', value }),
      );
    case 'replicationcontrollers':
      return selectNamespaced(state.replicationControllers.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'ReplicationController', value }),
      );
    case 'statefulsets':
      return selectNamespaced(state.statefulSets.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'StatefulSet', value }),
      );
    case 'daemonsets':
      return selectNamespaced(state.daemonSets.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'DaemonSet', value }),
      );
    case 'endpoints':
      return endpointsOf(state, options).map(endpointsObject);
    case 'networkpolicies':
      return storedObjects(state, 'NetworkPolicy', options).map(storedObjectBody);
    case 'gateways':
      return storedObjects(state, 'Gateway', options).map(storedObjectBody);
    case 'httproutes':
      return storedObjects(state, 'HTTPRoute', options).map(storedObjectBody);
    case 'nodes':
      return selectClusterScoped(state.nodes.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'Node', value }),
      );
    case 'namespaces':
      return selectClusterScoped(state.namespaces.values(), options).map((value) =>
        toKubernetesObject(state, { kind: 'Namespace', value }),
      );
    case 'ingresses':
      // Stored as given, with the status the controller published.
      return storedObjects(state, 'Ingress', options).map(storedObjectBody);
  }
}
