/** YAML inputs shared by the cni/ and trace/ specs. */

export function clusterDoc(cni: string, extra = ''): string {
  return `apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: { name: kind }
spec:
  cni: ${cni}
${extra}`;
}

/** The seeds' example: `kubectl create deployment website --replicas=3 --image=httpd`, exposed on port 80, and a busybox client. */
export const WEBSITE_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: website }
spec:
  replicas: 3
  selector: { matchLabels: { app: website } }
  template:
    metadata: { labels: { app: website } }
    spec:
      containers:
        - name: httpd
          image: httpd
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: website }
spec:
  selector: { app: website }
  ports: [{ name: http, port: 80, targetPort: 80 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  containers: [{ name: client, image: busybox }]
`;

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
export const PINNED_PODS_YAML = [pinnedPod('a', 'worker'), pinnedPod('b', 'worker2'), pinnedPod('c', 'worker')].join('\n---\n');

export function shapedPodYaml(name: string, node: string, ingress: string, egress: string): string {
  return pinnedPod(name, node, `  annotations:\n    kubernetes.io/ingress-bandwidth: ${ingress}\n    kubernetes.io/egress-bandwidth: ${egress}`);
}
