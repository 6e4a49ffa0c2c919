/** YAML inputs shared by the cni/ and trace/ specs. */

export { clusterDoc, WEBSITE_NODE_PORT_YAML, WEBSITE_YAML } from '../testing/seed-fixtures';

function pinnedPod(name: string, node: string, annotations = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: { app: pinned }
${annotations}
spec:
  nodeName: ${node}
  containers:
    - name: web
      image: nginx
      ports: [{ containerPort: 80 }]`;
}

/** Pods pinned to nodes: `a` and `c` on worker, `b` on worker2. */
export const PINNED_PODS_YAML = [
  pinnedPod('a', 'worker'),
  pinnedPod('b', 'worker2'),
  pinnedPod('c', 'worker'),
].join('\n---\n');

export function shapedPodYaml(name: string, node: string, ingress: string, egress: string): string {
  return pinnedPod(
    name,
    node,
    `  annotations:\n    kubernetes.io/ingress-bandwidth: ${ingress}\n    kubernetes.io/egress-bandwidth: ${egress}`,
  );
}
