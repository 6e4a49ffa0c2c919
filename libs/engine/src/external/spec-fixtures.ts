/** YAML inputs shared by the north-south specs. */

export const WEB_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: nginx
          image: nginx
          ports: [{ name: http, containerPort: 80 }]`;

/** Pods of app=web pinned to `nodes` (one each), for tests that need to know where endpoints run. */
export function pinnedWebPods(...nodes: string[]): string {
  return nodes
    .map(
      (node, i) => `apiVersion: v1
kind: Pod
metadata: { name: web-${i}, labels: { app: web } }
spec:
  nodeName: ${node}
  containers: [{ name: nginx, image: nginx, ports: [{ name: http, containerPort: 80 }] }]`,
    )
    .join('\n---\n');
}

export function lbServiceYaml(name: string, extra = '', annotations = ''): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}\n` : ''}spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
${extra}`;
}

export const METALLB_POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: main, namespace: metallb-system }
spec:
  addresses: ["172.18.255.200-172.18.255.250"]`;

export const METALLB_L2 = `apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: { name: l2, namespace: metallb-system }`;

export const METALLB_BGP = `apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: { name: router, namespace: metallb-system }
spec: { myASN: 64500, peerASN: 64501, peerAddress: 172.18.0.1 }
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: { name: bgp, namespace: metallb-system }`;

export { clusterWith } from '../testing/seed-fixtures';
