import type { NodeSpec } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import type { NodeObject } from '../manifests/manifest-set';
import type { Node, Taint } from '../model/resources';
import { formatCidr, intToIp, ipToInt, parseCidr, subnet } from '../util/ip';
import { nextSeq, touch } from './new-state';

export const CONTROL_PLANE_TAINT: Taint = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
};
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/**
 * The nodes kind/kubeadm would register: well-known labels, the control-plane taint kubeadm adds
 * (kubeadm `init` marks the node: https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/),
 * then v1 Node objects from the input merged by name (or added). Each node's podCIDR is the i-th
 * /nodeCIDRMaskSize block of the cluster pod CIDR in node order, as kube-controller-manager's
 * range allocator hands them out in registration order.
 */
export function registerNodes(
  state: ClusterState,
  nodeObjects: NodeObject[],
  replaceDefaults = false,
): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const config = state.config;
  const nodes: Node[] = replaceDefaults
    ? []
    : config.nodes.map((n) => ({ ...n })).map((spec) => nodeFromSpec(spec));
  for (const object of nodeObjects) {
    const existing = nodes.find((n) => n.name === object.name);
    if (existing) mergeNodeObject(existing, object);
    else nodes.push(replaceDefaults ? nodeAsGiven(object, nodes) : addedNode(object, nodes));
  }
  if (replaceDefaults) {
    issues.push(...duplicateNodeValues(nodeObjects, nodes));
    config.nodes = nodes.map((n) => ({ name: n.name, ip: n.ip, role: n.role }));
  }
  const podCidr = parseCidr(config.podCIDR);
  nodes.forEach((node, i) => {
    if (node.podCIDR) return;
    const block = podCidr ? subnet(podCidr, config.nodeCIDRMaskSize, i) : null;
    if (block) node.podCIDR = formatCidr(block);
    else
      issues.push({
        severity: 'warning',
        code: 'RANGE_EXHAUSTED',
        object: objectRef('Node', undefined, node.name),
        message: `no /${config.nodeCIDRMaskSize} left in pod CIDR ${config.podCIDR} for node ${node.name}: pods scheduled there get no IP`,
      });
  });
  for (const node of nodes) {
    node.createdSeq = nextSeq(state);
    state.nodes.set(node.name, node);
  }
  touch(state);
  return issues;
}

function nodeFromSpec(spec: NodeSpec): Node {
  const controlPlane = spec.role === 'control-plane';
  return {
    name: spec.name,
    ip: spec.ip,
    role: spec.role,
    // kubelet still sets the deprecated beta.kubernetes.io/{os,arch} next to the GA labels
    // (kubelet_node_status.go initialNode), so legacy nodeSelectors keep scheduling.
    labels: {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': spec.name,
      'kubernetes.io/os': 'linux',
      ...(controlPlane ? { [CONTROL_PLANE_LABEL]: '' } : {}),
      ...spec.labels,
    },
    taints: controlPlane ? [{ ...CONTROL_PLANE_TAINT }] : [],
    unschedulable: false,
    ready: true,
    podCIDR: '',
    createdSeq: 0,
  };
}

function mergeNodeObject(node: Node, object: NodeObject): void {
  if (object.labels) node.labels = { ...node.labels, ...object.labels };
  if (object.taints) node.taints = object.taints.map((t) => ({ ...t }));
  if (object.unschedulable !== undefined) node.unschedulable = object.unschedulable;
  if (object.ready !== undefined) node.ready = object.ready;
  if (object.ip) node.ip = object.ip;
  if (object.podCIDR) node.podCIDR = object.podCIDR;
  if (object.role) node.role = object.role;
}

/** A Node object naming a node the cluster config does not have joins as a worker; without an address it gets the next one after the existing nodes (kind numbers its containers that way). */
function addedNode(object: NodeObject, nodes: Node[]): Node {
  const highest = nodes.reduce((max, n) => Math.max(max, ipToInt(n.ip)), 0);
  const spec: NodeSpec = {
    name: object.name,
    ip: object.ip || intToIp(highest + 1),
    role:
      object.role ??
      (object.labels && CONTROL_PLANE_LABEL in object.labels ? 'control-plane' : 'worker'),
  };
  const node = nodeFromSpec(spec);
  mergeNodeObject(node, { ...object, ip: spec.ip });
  return node;
}

/**
 * A node exactly as its v1 Node object describes it (a cluster dump): its labels and taints as
 * given (kubelet and kubeadm already set them), no defaults added. Without an InternalIP it gets the
 * next address after the others.
 */
function nodeAsGiven(object: NodeObject, nodes: Node[]): Node {
  const highest = nodes.reduce((max, n) => Math.max(max, ipToInt(n.ip)), 0);
  return {
    name: object.name,
    ip: object.ip || intToIp(highest ? highest + 1 : ipToInt('172.18.0.2')),
    role: object.role ?? 'worker',
    labels: { ...object.labels },
    taints: (object.taints ?? []).map((t) => ({ ...t })),
    unschedulable: object.unschedulable ?? false,
    ready: object.ready ?? true,
    podCIDR: object.podCIDR ?? '',
    createdSeq: 0,
  };
}

/** Two nodes with one InternalIP or one podCIDR: errors naming both, as in the Cluster document. */
function duplicateNodeValues(objects: NodeObject[], nodes: Node[]): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const locationOf = (name: string) => objects.find((o) => o.name === name)?.location;
  for (const [field, valueOf] of [
    ['status.addresses', (n: Node) => n.ip],
    ['spec.podCIDR', (n: Node) => n.podCIDR],
  ] as const) {
    const seen = new Map<string, string>();
    for (const node of nodes) {
      const value = valueOf(node);
      if (!value) continue;
      const other = seen.get(value);
      if (other === undefined) {
        seen.set(value, node.name);
        continue;
      }
      const location = locationOf(node.name);
      issues.push({
        severity: 'error',
        code: field === 'spec.podCIDR' ? 'INVALID_CIDR' : 'INVALID_IP',
        ...(location ? locationFields(location) : {}),
        object: objectRef('Node', undefined, node.name),
        path: field,
        message: `Duplicate value: "${value}" is also Node ${other}'s`,
      });
    }
  }
  return issues;
}

export function controlPlaneNodes(state: ClusterState): Node[] {
  return [...state.nodes.values()].filter((n) => n.role === 'control-plane');
}

/**
 * v1 Node objects applied to a running cluster: existing nodes take the given labels, taints,
 * unschedulable and readiness; new ones join as workers with the next free pod range.
 */
export function applyNodeObjects(state: ClusterState, nodeObjects: NodeObject[]): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const object of nodeObjects) {
    const existing = state.nodes.get(object.name);
    if (existing) {
      mergeNodeObject(existing, object);
      touch(state);
      continue;
    }
    const node = addedNode(object, [...state.nodes.values()]);
    if (!node.podCIDR) node.podCIDR = freePodRange(state) ?? '';
    if (!node.podCIDR)
      issues.push({
        severity: 'warning',
        code: 'RANGE_EXHAUSTED',
        object: objectRef('Node', undefined, node.name),
        message: `no /${state.config.nodeCIDRMaskSize} left in pod CIDR ${state.config.podCIDR} for node ${node.name}: pods scheduled there get no IP`,
      });
    node.createdSeq = nextSeq(state);
    state.nodes.set(node.name, node);
    touch(state);
  }
  return issues;
}

function freePodRange(state: ClusterState): string | null {
  const podCidr = parseCidr(state.config.podCIDR);
  if (!podCidr) return null;
  const taken = new Set([...state.nodes.values()].map((n) => n.podCIDR));
  for (let i = 0; ; i++) {
    const block = subnet(podCidr, state.config.nodeCIDRMaskSize, i);
    if (!block) return null;
    if (!taken.has(formatCidr(block))) return formatCidr(block);
  }
}
