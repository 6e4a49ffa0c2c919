/** YAML builders shared by the ingress and Gateway API specs. */
import { clusterWith } from '../testing/seed-fixtures';

export const NGINX_CLUSTER = clusterWith('  ingressControllers: [nginx]\n');

/** A Deployment and a Service named `name` in `default` answering on port 80 (container 8080, port name http). */
export function app(name: string, replicas = 1): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: nginx
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`;
}

/** An Ingress of class nginx with one rule per `host path pathType service` entry. */
export function ingress(
  name: string,
  rules: { host?: string; paths: { path: string; pathType: string; service: string }[] }[],
  extra = '',
): string {
  const body = rules
    .map(
      (r) => `  - ${r.host ? `host: ${r.host}\n    ` : ''}http:
      paths:
${r.paths
  .map(
    (p) => `      - path: ${p.path}
        pathType: ${p.pathType}
        backend: {service: {name: ${p.service}, port: {number: 80}}}`,
  )
  .join('\n')}`,
    )
    .join('\n');
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
  ingressClassName: nginx
${extra}  rules:
${body}
`;
}
