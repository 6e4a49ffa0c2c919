/** Generates the benchmark's input: a realistic multi-namespace cluster as one YAML string. */
export interface FixtureSize {
  namespaces: number;
  deployments: number;
  replicas: number;
  services: number;
}

export function clusterYaml(size: FixtureSize): string {
  const docs: string[] = [];
  docs.push(`apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: { name: bench }
spec:
  seed: bench
  nodes:
    - { name: control-plane, ip: 172.18.0.2, role: control-plane }
${Array.from({ length: 20 }, (_, i) => `    - { name: worker${i + 1}, ip: 172.18.1.${i + 1}, role: worker }`).join('\n')}`);
  for (let n = 0; n < size.namespaces; n++)
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: { name: team-${n} }`);
  for (let d = 0; d < size.deployments; d++) {
    const ns = `team-${d % size.namespaces}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${d}, namespace: ${ns} }
spec:
  replicas: ${size.replicas}
  selector: { matchLabels: { app: app-${d} } }
  template:
    metadata: { labels: { app: app-${d}, tier: t${d % 3} } }
    spec:
      containers:
        - name: web
          image: httpd
          ports: [{ name: http, containerPort: 8080 }]`);
  }
  for (let s = 0; s < size.services; s++) {
    const d = s % size.deployments;
    docs.push(`apiVersion: v1
kind: Service
metadata: { name: svc-${s}, namespace: team-${d % size.namespaces} }
spec:
  selector: { app: app-${d} }
  ports: [{ name: http, port: 80, targetPort: http }]`);
  }
  return docs.join('\n---\n');
}
