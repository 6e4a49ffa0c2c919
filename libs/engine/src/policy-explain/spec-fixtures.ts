/** Shared YAML for the policy-explain tests: two tenants' namespaces, a web app, its clients. */
import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';

export const TENANTS_YAML = `apiVersion: v1
kind: Namespace
metadata: { name: prod, labels: { tenant: a } }
---
apiVersion: v1
kind: Namespace
metadata: { name: other, labels: { tenant: b } }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: prod, labels: { app: web } }
spec:
  containers:
    - name: httpd
      image: httpd
      ports:
        - { name: http, containerPort: 80 }
        - { name: metrics, containerPort: 9090 }
        - { name: syslog, containerPort: 514, protocol: UDP }
---
apiVersion: v1
kind: Pod
metadata: { name: frontend, namespace: prod, labels: { role: frontend } }
spec: { containers: [{ name: busybox, image: busybox }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: other, labels: { app: client } }
spec: { containers: [{ name: busybox, image: busybox }] }`;

/** A NetworkPolicy document in namespace prod with the given spec (YAML flow or block under `spec:`). */
export function policyYaml(name: string, spec: string, namespace = 'prod'): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}`;
}

export function tenants(...extra: string[]): ClusterState {
  return clusterFromYaml(TENANTS_YAML, ...extra);
}
