/**
 * Inputs for the matrix benchmark: a multi-namespace cluster of Deployments with the policies a
 * platform team writes (per-namespace default deny, per-app allows by label and named port,
 * cross-namespace allows by namespace label, egress to CIDRs, a few admin policies and a baseline).
 */
import type { ClusterState, Pod } from '@netplay/engine';

export interface MatrixFixtureSize {
  pods: number;
  namespaces: number;
  policies: number;
}

const REPLICAS = 5;

function nodeCount(pods: number): number {
  // kind gives each node a /24 of pod addresses: keep well under 254 pods per node.
  return Math.ceil(pods / 200) + 1;
}

function policyBodies(
  size: MatrixFixtureSize,
): { kind: string; apiVersion: string; namespace?: string; name: string; spec: object }[] {
  const deployments = Math.max(1, Math.floor(size.pods / REPLICAS));
  const out: {
    kind: string;
    apiVersion: string;
    namespace?: string;
    name: string;
    spec: object;
  }[] = [];
  const np = (namespace: string, name: string, spec: object) =>
    out.push({ kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespace, name, spec });
  const admin = Math.min(5, Math.floor(size.policies / 100));
  for (let a = 0; a < admin; a++) {
    out.push({
      kind: 'AdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      name: `platform-${a}`,
      spec: {
        priority: 10 + a,
        subject: { namespaces: { matchLabels: { parity: a % 2 ? 'odd' : 'even' } } },
        ingress: [
          {
            action: a % 3 === 0 ? 'Pass' : 'Allow',
            from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'team-0' } } }],
          },
        ],
        egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
      },
    });
  }
  if (size.policies > 100) {
    out.push({
      kind: 'BaselineAdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      name: 'default',
      spec: {
        subject: { namespaces: {} },
        ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { parity: 'odd' } } }] }],
      },
    });
  }
  for (let n = 0; n < size.namespaces && out.length < size.policies; n++)
    np(`team-${n}`, 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] });
  for (let i = 0; out.length < size.policies; i++) {
    const d = i % deployments;
    const round = Math.floor(i / deployments);
    const ns = `team-${d % size.namespaces}`;
    const app = { matchLabels: { app: `app-${d}` } };
    const next = `app-${(d + size.namespaces) % deployments}`;
    if (round % 4 === 0)
      np(ns, `allow-${d}-${round}`, {
        podSelector: app,
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: next } } }], ports: [{ port: 'http' }] },
        ],
      });
    else if (round % 4 === 1)
      np(ns, `from-tier-${d}-${round}`, {
        podSelector: app,
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { parity: d % 2 ? 'odd' : 'even' } },
                podSelector: { matchLabels: { tier: `t${d % 3}` } },
              },
            ],
            ports: [{ port: 8080 }],
          },
        ],
      });
    else if (round % 4 === 2)
      np(ns, `egress-${d}-${round}`, {
        podSelector: app,
        policyTypes: ['Egress'],
        egress: [
          { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] } }] },
          { ports: [{ port: 53, protocol: 'UDP' }] },
        ],
      });
    else
      np(ns, `metrics-${d}-${round}`, {
        podSelector: app,
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-0' } } },
            ],
            ports: [{ port: 9090 + round }],
          },
        ],
      });
  }
  return out;
}

/** The whole fixture as YAML (JSON documents), for `loadCluster`. */
export function matrixClusterYaml(size: MatrixFixtureSize): string {
  const docs: object[] = [
    {
      apiVersion: 'netplay.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'bench' },
      spec: {
        seed: 'bench',
        nodes: [
          { name: 'control-plane', ip: '172.18.0.2', role: 'control-plane' },
          ...Array.from({ length: nodeCount(size.pods) }, (_, i) => ({
            name: `worker${i + 1}`,
            ip: `172.18.${1 + (i >> 8)}.${(i % 254) + 1}`,
            role: 'worker',
          })),
        ],
      },
    },
  ];
  for (let n = 0; n < size.namespaces; n++)
    docs.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `team-${n}`, labels: { parity: n % 2 ? 'odd' : 'even' } },
    });
  const deployments = Math.floor(size.pods / REPLICAS);
  for (let d = 0; d < deployments; d++) {
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${d}`, namespace: `team-${d % size.namespaces}` },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: { app: `app-${d}` } },
        template: {
          metadata: { labels: { app: `app-${d}`, tier: `t${d % 3}` } },
          spec: {
            containers: [
              { name: 'web', image: 'httpd', ports: [{ name: 'http', containerPort: 8080 }] },
            ],
          },
        },
      },
    });
  }
  for (const p of policyBodies(size))
    docs.push({
      apiVersion: p.apiVersion,
      kind: p.kind,
      metadata: { name: p.name, ...(p.namespace ? { namespace: p.namespace } : {}) },
      spec: p.spec,
    });
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

/**
 * The 100,000-pod case, built directly: YAML for that many objects would dominate the run (and a
 * kind-like /24 per node cannot hold it), so pods are cloned from one real pod of a small
 * YAML-built cluster with synthetic addresses, and policies are added as stored objects.
 */
export function addSyntheticWorkload(state: ClusterState, size: MatrixFixtureSize): void {
  const template = [...state.pods.values()].find((p) => p.namespace.startsWith('team-'));
  if (!template) throw new Error('the base cluster has no team pod to clone');
  for (const key of [...state.pods.keys()]) if (key.startsWith('team-')) state.pods.delete(key);
  const deployments = Math.floor(size.pods / REPLICAS);
  for (let i = 0; i < size.pods; i++) {
    const d = i % deployments;
    const namespace = `team-${d % size.namespaces}`;
    const pod: Pod = {
      ...template,
      namespace,
      name: `app-${d}-${Math.floor(i / deployments)}`,
      labels: { app: `app-${d}`, tier: `t${d % 3}` },
      ip: `10.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      uid: `uid-${i}`,
    };
    state.pods.set(`${namespace}/${pod.name}`, pod);
  }
  state.objects = state.objects.filter(
    (o) => !['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'].includes(o.kind),
  );
  policyBodies(size).forEach((p, i) =>
    state.objects.push({
      apiVersion: p.apiVersion,
      kind: p.kind,
      namespace: p.namespace,
      name: p.name,
      doc: 100_000 + i,
      body: {
        apiVersion: p.apiVersion,
        kind: p.kind,
        metadata: { name: p.name, namespace: p.namespace },
        spec: p.spec,
      },
    }),
  );
  state.version++;
}
