import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCluster, parseScenario, type ClusterState } from '@netplay/engine';

const ROOT = join(__dirname, '..', '..', '..');

export interface CorpusEntry {
  name: string;
  /** The manifests, as files loadCluster reads. */
  files: { name: string; content: string }[];
}

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';
export type Cni = 'kindnet' | 'flannel' | 'calico' | 'calico-ipip';

/** A Cluster document choosing the kube-proxy mode and CNI, put in front of a corpus entry. */
function clusterDocument(mode: ProxyMode, cni: Cni): string {
  return `apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: {name: kernel-lane}
spec:
  kubeProxy: {mode: ${mode}}
  cni: ${cni === 'calico-ipip' ? '{plugin: calico, mode: ipip}' : cni}
`;
}

/** Builds an entry's cluster in the given mode; entries that already set a mode keep theirs. */
export function clusterOf(entry: CorpusEntry, mode: ProxyMode, cni: Cni = 'kindnet'): ClusterState {
  const hasClusterDoc = entry.files.some((f) => /^kind: Cluster\b/m.test(f.content));
  const files = hasClusterDoc
    ? entry.files
    : [{ name: 'cluster.yaml', content: clusterDocument(mode, cni) }, ...entry.files];
  const loaded = loadCluster(files);
  if (!loaded.state)
    throw new Error(`${entry.name}: ${loaded.issues.map((i) => i.message).join('; ')}`);
  return loaded.state;
}

/** The seeds' examples: plain manifests under examples/manifests. */
export function exampleEntries(): CorpusEntry[] {
  const dir = join(ROOT, 'examples', 'manifests');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({
      name: `examples/manifests/${f}`,
      files: [{ name: f, content: readFileSync(join(dir, f), 'utf8') }],
    }));
}

/**
 * The scenario suites' files whose clusters have Services with ClusterIPs or NodePorts and no
 * feature the lane cannot build (LoadBalancer implementations and ingress controllers answer
 * outside kube-proxy's rules; a Cluster document there picks its own data path). Their manifests
 * as the scenario starts; the steps are the scenario suite's business.
 */
export function scenarioEntries(): CorpusEntry[] {
  const dir = join(ROOT, 'test', 'scenarios');
  const out: CorpusEntry[] = [];
  for (const f of readdirSync(dir).filter(
    (n) => n.endsWith('.yaml') && !n.endsWith('.expect.yaml'),
  )) {
    const { scenario } = parseScenario(readFileSync(join(dir, f), 'utf8'));
    if (!scenario) continue;
    const files = scenario.manifests.map((m, i) =>
      'inline' in m
        ? { name: `${f}#${i}`, content: m.inline }
        : { name: m.path, content: readFileSync(join(dirname(join(dir, f)), m.path), 'utf8') },
    );
    const text = files.map((x) => x.content).join('\n');
    if (/kind: (Cluster|IPAddressPool|Ingress|Gateway)\b/.test(text)) continue;
    // Policies are enforced by the CNI's agent, which the lane does not run.
    if (/kind: (Baseline)?(Admin|Cluster)?NetworkPolicy\b/.test(text)) continue;
    if (!/kind: Service\b/.test(text)) continue;
    out.push({ name: `test/scenarios/${f}`, files });
  }
  return out;
}

/** mulberry32: a small seeded generator, so a generated cluster is rebuilt from its seed alone. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random cluster on the default three nodes: 1-3 Deployments of 1-4 replicas, each behind a
 * Service (ClusterIP or NodePort, externalTrafficPolicy Cluster or Local, ClientIP affinity now
 * and then, one or two TCP/UDP ports with their own targetPorts), sometimes a Service whose
 * selector matches nothing, and a client pod.
 */
export function generatedEntry(seed: number): CorpusEntry {
  const random = seededRandom(seed);
  const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const docs: string[] = [];
  const apps = int(1, 3);
  for (let a = 0; a < apps; a++) {
    const app = `app${a}`;
    const portCount = int(1, 2);
    const ports = Array.from({ length: portCount }, (_, i) => ({
      name: `p${i}`,
      port: int(1, 60) * 100 + i,
      targetPort: int(20, 90) * 100 + i,
      protocol: random() < 0.2 ? 'UDP' : 'TCP',
    }));
    const nodePort = random() < 0.5;
    const local = nodePort && random() < 0.5;
    const affinity = random() < 0.2;
    const replicas = int(1, 4);
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers:
        - name: c
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          ports: [${ports.map((p) => `{containerPort: ${p.targetPort}, protocol: ${p.protocol}}`).join(', ')}]
`);
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: ${app}}
spec:
  type: ${nodePort ? 'NodePort' : 'ClusterIP'}
${local ? '  externalTrafficPolicy: Local\n' : ''}${affinity ? '  sessionAffinity: ClientIP\n' : ''}  selector: {app: ${random() < 0.1 ? 'nobody' : app}}
  ports:
${ports.map((p) => `    - {name: ${p.name}, port: ${p.port}, targetPort: ${p.targetPort}, protocol: ${p.protocol}}`).join('\n')}
`);
  }
  docs.push(`apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox}]
`);
  return {
    name: `generated seed ${seed}`,
    files: [{ name: `seed-${seed}.yaml`, content: docs.join('---\n') }],
  };
}

/** The generated part of the corpus: seeds 1..count (NETPLAY_KERNEL_SEEDS=a,b,c reruns chosen ones). */
export function generatedEntries(count: number): CorpusEntry[] {
  const chosen = process.env.NETPLAY_KERNEL_SEEDS;
  const seeds = chosen
    ? chosen.split(',').map(Number)
    : Array.from({ length: count }, (_, i) => i + 1);
  return seeds.map(generatedEntry);
}

/**
 * What the other entries leave out of IPVS mode: LoadBalancers (MetalLB) with source ranges that
 * do and do not cover the nodes, externalTrafficPolicy Local with its health check port,
 * externalIPs, ClientIP affinity, UDP and SCTP NodePorts, and the mh scheduler's flag.
 */
export function ipvsFeatureEntry(): CorpusEntry {
  const content = `apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: {name: ipvs-features}
spec:
  kubeProxy: {mode: ipvs, ipvsScheduler: mh}
  cni: kindnet
---
apiVersion: v1
kind: Namespace
metadata: {name: metallb-system}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: metallb-system}
spec:
  addresses: [172.18.255.200-172.18.255.250]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: lan, namespace: metallb-system}
spec:
  ipAddressPools: [lan]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web
          ports: [{containerPort: 8080}, {containerPort: 5353, protocol: UDP}, {containerPort: 3868, protocol: SCTP}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-local}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  loadBalancerSourceRanges: [203.0.113.0/24]
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-nodes}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [172.18.0.0/16, 198.51.100.0/24]
  selector: {app: web}
  ports: [{name: http, port: 8080, targetPort: 8080}, {name: dns, port: 53, targetPort: 5353, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  externalIPs: [192.0.2.10]
  sessionAffinity: ClientIP
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: sctp}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: diameter, port: 3868, targetPort: 3868, protocol: SCTP}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox}]
`;
  return {
    name: 'IPVS features (LoadBalancer, externalIPs, SCTP, mh)',
    files: [{ name: 'ipvs.yaml', content }],
  };
}
