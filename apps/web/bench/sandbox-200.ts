/**
 * A 200-object sandbox for the keystroke budget: 80 Deployments (2 replicas each) with 80
 * Services, 39 NetworkPolicies allowing each app from the client, and the client pod.
 */
export function sandbox200(): { manifests: string; probe: { from: string; to: string } } {
  const docs: string[] = [];
  for (let i = 0; i < 80; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, labels: {app: app-${i}}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}, tier: t${i % 4}}}
    spec:
      containers:
        - {name: web, image: nginx, ports: [{containerPort: 80}]}`);
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: app-${i}}
spec:
  selector: {app: app-${i}}
  ports: [{port: 80, name: http}]`);
  }
  for (let i = 0; i < 39; i++)
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-client-${i}}
spec:
  podSelector: {matchLabels: {app: app-${i}}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {run: client}}}]
      ports: [{port: 80, protocol: TCP}]`);
  docs.push(`apiVersion: v1
kind: Pod
metadata: {name: client, labels: {run: client}}
spec:
  containers:
    - {name: client, image: busybox}`);
  if (docs.length !== 200) throw new Error(`expected 200 objects, made ${docs.length}`);
  return {
    manifests: docs.join('\n---\n'),
    probe: { from: 'default/client', to: 'http://app-7.default/' },
  };
}
