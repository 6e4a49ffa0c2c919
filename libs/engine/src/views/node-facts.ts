import type { Node } from '../model/resources';

/**
 * What the kubelet reports in node.status.nodeInfo. The engine runs no real node, so these are the
 * fixed values of a kind v1.33.1 node image (docs/cli.md says so); the kernel is not simulated.
 */
export const NODE_INFO = {
  kubeletVersion: 'v1.33.1',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.8.0-netplay',
  containerRuntimeVersion: 'containerd://2.1.1',
  operatingSystem: 'linux',
  architecture: 'amd64',
} as const;

const ROLE_LABEL = 'node-role.kubernetes.io/';

/** kubectl printers findNodeRoles: `node-role.kubernetes.io/<role>` labels (and `kubernetes.io/role`), sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.labels)) {
    if (k.startsWith(ROLE_LABEL) && k.length > ROLE_LABEL.length)
      roles.add(k.slice(ROLE_LABEL.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  if (roles.size === 0 && node.role === 'control-plane') roles.add('control-plane');
  return [...roles].sort();
}

/** `Ready`, `NotReady`, plus `,SchedulingDisabled` for a cordoned node (kubectl printNode). */
export function nodeStatus(node: Node): string {
  const base = node.ready ? 'Ready' : 'NotReady';
  return node.unschedulable ? `${base},SchedulingDisabled` : base;
}
