// The deployment files, checked the way an operator would read them: the Kubernetes manifests in
// deploy/ load into netplay itself without errors, and the packets go where the NetworkPolicies
// intend (ingress → API, API → the managed PostgreSQL, nothing else in); docker/compose.yaml and
// the Deployments pass every setting production requires (docs/settings.md).
import { SETTINGS, type ProcessName } from '@netplay/config';
import { loadCluster, traceProbe, type ClusterState, type ProbeTrace } from '@netplay/engine';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const DEPLOY = path.join(ROOT, 'deploy');
const MANIFESTS = readdirSync(DEPLOY)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({
    path: `deploy/${name}`,
    content: readFileSync(path.join(DEPLOY, name), 'utf8'),
  }));

const DATABASE_IP = '10.100.0.5';
const REDIS_IP = '10.100.1.5';
/**
 * What the operator brings (docs/deploy.md, "Before you apply"): a cluster with ingress-nginx
 * behind a cloud load balancer, the managed services' private names, the TLS Secret cert-manager
 * makes, and, for the test, a pod in the namespace that no policy names.
 */
const ENVIRONMENT = {
  path: 'environment.yaml',
  content: `
apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: {name: managed}
spec:
  ingressControllers: [{profile: nginx, serviceType: LoadBalancer}]
  loadBalancer: cloud
  externalDNS:
    - {name: netplay-db.example.internal, data: ${DATABASE_IP}}
    - {name: netplay-redis.example.internal, data: ${REDIS_IP}}
---
apiVersion: v1
kind: Secret
metadata: {name: netplay-tls, namespace: netplay}
type: kubernetes.io/tls
data: {tls.crt: "", tls.key: ""}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: netplay}
spec:
  containers: [{name: shell, image: busybox}]
`,
};

interface ContainerSpec {
  env?: { name: string; valueFrom?: { secretKeyRef?: unknown } }[];
  livenessProbe: { httpGet: { path: string } };
  readinessProbe?: { httpGet: { path: string } };
}

interface ManifestDocument {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: { template: { spec: { containers: ContainerSpec[] } } };
}

const requiredFor = (process: ProcessName) =>
  Object.values(SETTINGS)
    .filter((setting) => setting.requiredInProduction && setting.processes.includes(process))
    .map((setting) => setting.name);

describe('the Kubernetes manifests in deploy/', () => {
  let state: ClusterState;

  beforeAll(() => {
    const result = loadCluster([ENVIRONMENT, ...MANIFESTS]);
    const problems = result.issues.filter((issue) => issue.severity !== 'info');
    expect(problems).toEqual([]);
    if (!result.state) throw new Error('the manifests did not load');
    state = result.state;
  });

  const trace = (from: string, to: string): ProbeTrace => traceProbe(state, { from, to });
  const lastHop = (probe: ProbeTrace) => probe.hops[probe.hops.length - 1];

  it('load into netplay with no error or warning', () => {
    expect(MANIFESTS.map((file) => file.path)).toEqual(
      expect.arrayContaining([
        'deploy/api.yaml',
        'deploy/worker.yaml',
        'deploy/network-policies.yaml',
      ]),
    );
    expect([...state.deployments.values()].map((d) => `${d.namespace}/${d.name}`)).toEqual(
      expect.arrayContaining(['netplay/netplay-api', 'netplay/netplay-worker']),
    );
    // Two replicas each, as the Deployments ask.
    const running = [...state.pods.values()].filter(
      (pod) => pod.namespace === 'netplay' && pod.phase === 'Running',
    );
    expect(running.filter((pod) => pod.name.startsWith('netplay-api-'))).toHaveLength(2);
    expect(running.filter((pod) => pod.name.startsWith('netplay-worker-'))).toHaveLength(2);
  });

  it('carry a request from outside through the Ingress to an API pod', () => {
    const probe = trace('external', 'https://api.netplay.example.com/healthz');
    expect(probe.verdict).toBe('delivered');
    expect(probe.hops.map((hop) => hop.component)).toContain('ingress-controller');
    expect(probe.backend).toMatchObject({ namespace: 'netplay', port: 3000 });
    expect(probe.backend?.pod).toMatch(/^netplay-api-/);
  });

  it('let the API and the workers out to the managed PostgreSQL and Redis, past their egress policies', () => {
    for (const [from, to, ip, port] of [
      ['netplay/netplay-api', 'netplay-db.example.internal:5432', DATABASE_IP, 5432],
      ['netplay/netplay-worker', 'netplay-db.example.internal:5432', DATABASE_IP, 5432],
      ['netplay/netplay-api', 'netplay-redis.example.internal:6379', REDIS_IP, 6379],
    ] as const) {
      const probe = trace(from, to);
      // Outside hosts answer only on 80/443 in the simulation: the packet leaving the cluster
      // towards the managed service, undropped, is what the policies decide.
      expect(probe.dropReason).toBeNull();
      expect(lastHop(probe)).toMatchObject({
        component: 'external-network',
        packet: { dst: { ip, port } },
      });
    }
  });

  it('keep a pod the policies do not name away from the database', () => {
    const probe = trace('netplay/debug', `${DATABASE_IP}:5432`);
    expect(probe.verdict).toBe('dropped');
    expect(probe.dropReason).toBe('POLICY_DENIED');
  });

  it('let only the workers reach public webhook receivers, and nothing call the workers', () => {
    expect(trace('netplay/netplay-worker', '93.184.215.14:443').verdict).toBe('delivered');
    expect(trace('netplay/netplay-api', '93.184.215.14:443').dropReason).toBe('POLICY_DENIED');
    expect(trace('netplay/netplay-worker', 'netplay-api.netplay:80').dropReason).toBe(
      'POLICY_DENIED',
    );
    expect(trace('netplay/debug', 'netplay-worker-metrics.netplay:9464').dropReason).toBe(
      'POLICY_DENIED',
    );
  });

  it('give each process every setting production requires, and wire the probes', () => {
    const documents = MANIFESTS.flatMap((file) =>
      parseAllDocuments(file.content).map((doc) => doc.toJS() as ManifestDocument),
    );
    const configMap = documents.find((doc) => doc.kind === 'ConfigMap');
    const configured = new Set(Object.keys(configMap?.data ?? {}));
    for (const [name, process] of [
      ['netplay-api', 'api'],
      ['netplay-worker', 'worker'],
    ] as const) {
      const deployment = documents.find(
        (doc) => doc.kind === 'Deployment' && doc.metadata.name === name,
      );
      const container = deployment?.spec.template.spec.containers[0];
      if (!container) throw new Error(`no Deployment ${name}`);
      const names = new Set([...configured, ...(container.env ?? []).map((entry) => entry.name)]);
      expect(requiredFor(process).filter((setting) => !names.has(setting))).toEqual([]);
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      if (process === 'api') expect(container.readinessProbe?.httpGet.path).toBe('/readyz');
      // Secrets come from the Secret, never written in a manifest.
      for (const entry of container.env ?? [])
        if (SETTINGS_BY_NAME.get(entry.name)?.secret)
          expect(entry.valueFrom?.secretKeyRef).toBeDefined();
    }
  });
});

const SETTINGS_BY_NAME = new Map(Object.values(SETTINGS).map((setting) => [setting.name, setting]));

describe('docker/compose.yaml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };

  it.each<[string, ProcessName]>([
    ['api', 'api'],
    ['worker', 'worker'],
  ])('passes the %s service every setting production requires', (service, process) => {
    const environment = compose.services[service]?.environment ?? {};
    expect(requiredFor(process).filter((name) => !(name in environment))).toEqual([]);
  });

  it('takes the secret keys from the operator, not from the file', () => {
    for (const service of ['api', 'worker'])
      expect(compose.services[service]?.environment?.NETPLAY_SECRET_KEY).toMatch(
        /^\$\{NETPLAY_SECRET_KEY:\?/,
      );
  });

  it('uses only setting names the schema knows', () => {
    for (const service of ['api', 'worker'])
      for (const name of Object.keys(compose.services[service]?.environment ?? {}))
        expect(SETTINGS_BY_NAME.has(name)).toBe(true);
  });
});
