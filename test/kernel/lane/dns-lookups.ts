import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsProbe, type ClusterState } from '@netplay/engine';
import type { Agents } from './agents';
import type { CorpusEntry } from './corpus';
import { loadRules } from './rules';
import { exec, execInNs, startInNs } from './shell';
import { buildCluster, destroyCluster, view, type KernelCluster } from './topology';

const DNS_SERVER = join(__dirname, '..', 'agents', 'dns-server.js');

/**
 * Names resolved through real resolvers against the cluster's DNS (docs/kernel-lane.md): the
 * CoreDNS pods run a DNS server loaded from `get dns-records` that forwards other names to the
 * nodes' nameserver (the external namespace, loaded from `get upstream-records`), as CoreDNS's
 * `forward . /etc/resolv.conf` does; a client pod gets its own resolv.conf from `get resolv.conf`
 * through `ip netns exec`'s /etc/netns/<ns>/ bind mounts and resolves with glibc (`getent
 * ahostsv4`) or musl (a getaddrinfo program linked with musl). The questions the servers saw, in
 * order, and the final answer are compared with the engine's DNS trace.
 */
export function dnsEntry(): CorpusEntry {
  const content = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: www.example.com}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: None
  selector: {app: api}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: debian:12}]
---
apiVersion: v1
kind: Pod
metadata: {name: musl-client}
spec:
  containers: [{name: c, image: alpine:3.20}]
`;
  return { name: 'DNS search lists', files: [{ name: 'dns.yaml', content }] };
}

/**
 * The names, each with what it exercises: a short name, name.namespace, an FQDN with its trailing
 * dot, the same FQDN without it (4 dots, under ndots:5, so the search list comes first), a name
 * of 5 dots (tried as is first), a name that does not exist anywhere (NXDOMAIN), a namespace name
 * (NODATA in the middle of the search list: glibc goes on, musl stops), a name only the upstream
 * resolver knows (a CNAME to an address), an ExternalName (a CNAME out of the cluster zone) and a
 * headless Service (one address per endpoint).
 */
export const DNS_NAMES = [
  'web',
  'api.shop',
  'web.default.svc.cluster.local.',
  'web.default.svc.cluster.local',
  'nothing.at.all.example.com.x',
  'nosuch',
  'shop',
  'www.example.com',
  'ext',
  'db.shop',
];

export interface DnsCluster {
  cluster: KernelCluster;
  servers: ChildProcess[];
  dir: string;
  logs: string[];
  /** The /etc/netns/<ns> directories written for the clients. */
  etc: string[];
}

function kubeDnsPods(state: ClusterState): string[] {
  return [...state.pods.values()]
    .filter((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns')
    .map((p) => `${p.namespace}/${p.name}`);
}

/** Builds the cluster, loads its rules, starts the DNS servers and gives the clients their resolv.conf. */
export async function startDnsCluster(state: ClusterState, tag: string): Promise<DnsCluster> {
  const cluster = await buildCluster(state, tag);
  const dir = mkdtempSync(join(tmpdir(), 'netplay-dns-'));
  const dns: DnsCluster = { cluster, servers: [], dir, logs: [], etc: [] };
  try {
    const scratch = `${cluster.external.slice(0, -3)}scr`;
    await exec('ip', ['netns', 'add', scratch]);
    cluster.namespaces.push(scratch);
    await loadRules(cluster, scratch);
    const records = join(dir, 'dns-records');
    writeFileSync(records, view(state, 'dns-records', {}));
    const upstream = join(dir, 'upstream-records');
    writeFileSync(upstream, view(state, 'upstream-records', {}));
    const gateway = state.config.nodeResolvConf.nameservers[0];
    const starts = [
      startInNs(cluster.external, process.execPath, [
        DNS_SERVER,
        '--records',
        upstream,
        '--listen',
        gateway,
      ]),
    ];
    for (const ref of kubeDnsPods(state)) {
      const ns = cluster.pods.get(ref) as string;
      const resolv = join(dir, `${ns}.resolv.conf`);
      writeFileSync(resolv, view(state, 'resolv.conf', { pod: ref }));
      const log = join(dir, `${ns}.log`);
      writeFileSync(log, '');
      dns.logs.push(log);
      const zones = [state.config.clusterDomain, 'in-addr.arpa', 'ip6.arpa'].join(',');
      starts.push(
        startInNs(ns, process.execPath, [
          DNS_SERVER,
          '--records',
          records,
          '--zones',
          zones,
          '--forward',
          resolv,
          '--parents',
          'yes',
          '--log',
          log,
        ]),
      );
    }
    dns.servers = await Promise.all(starts);
    for (const ref of ['default/client', 'default/musl-client']) {
      const etc = join('/etc/netns', cluster.pods.get(ref) as string);
      mkdirSync(etc, { recursive: true });
      dns.etc.push(etc);
      writeFileSync(join(etc, 'resolv.conf'), view(state, 'resolv.conf', { pod: ref }));
      writeFileSync(join(etc, 'hosts'), '127.0.0.1\tlocalhost\n');
      writeFileSync(join(etc, 'nsswitch.conf'), 'hosts: files dns\n');
    }
    return dns;
  } catch (err) {
    await stopDnsCluster(dns);
    throw err;
  }
}

export async function stopDnsCluster(dns: DnsCluster): Promise<void> {
  for (const s of dns.servers) s.kill('SIGKILL');
  for (const etc of dns.etc) rmSync(etc, { recursive: true, force: true });
  await destroyCluster(dns.cluster);
  rmSync(dns.dir, { recursive: true, force: true });
}

export interface LookupComparison {
  problems: string[];
  /** What the engine says, for the test to check the name exercises what it should. */
  engineQueries: string[];
}

/** The A questions the CoreDNS pods saw since `since`, in the order they arrived. */
function questionsSeen(dns: DnsCluster): string[] {
  return dns.logs
    .flatMap((log) => readFileSync(log, 'utf8').split('\n').filter(Boolean))
    .map((line) => line.split(' '))
    .filter(([, , type]) => type === 'A')
    .sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1))
    .map(([, name, , rcode]) => `${name} ${rcode}`);
}

/**
 * Resolves `name` from a client pod with a real resolver (glibc's getent ahostsv4, or the musl
 * program) and compares with the engine's DNS trace: the A questions the CoreDNS pods saw, in
 * order, with their rcodes; whether the name resolved; and the addresses.
 */
export async function compareLookup(
  dns: DnsCluster,
  agents: Agents,
  from: 'default/client' | 'default/musl-client',
  name: string,
): Promise<LookupComparison> {
  const { state } = dns.cluster;
  const ns = dns.cluster.pods.get(from) as string;
  for (const log of dns.logs) writeFileSync(log, '');
  const command =
    from === 'default/client'
      ? ['getent', ['ahostsv4', name]]
      : [agents.muslResolve as string, [name]];
  const output = await execInNs(ns, command[0] as string, command[1] as string[], '', {
    timeoutMs: 30_000,
  }).then(
    (out) => ({ resolved: true, out }),
    (err: Error) => ({ resolved: false, out: err.message }),
  );
  const seen = questionsSeen(dns);
  const trace = dnsProbe(state, { from, name, type: 'A' });
  const engineQueries = trace.queries.map((q) => `${q.name.replace(/\.$/, '')} ${q.rcode}`);
  if (process.env.NETPLAY_KERNEL_DEBUG)
    console.log(
      `${from} ${name}: saw ${seen.join(', ')}; resolver ${output.resolved ? output.out.trim().split('\n').length + ' lines' : 'failed'}`,
    );
  const problems: string[] = [];
  if (seen.join(' | ') !== engineQueries.join(' | '))
    problems.push(
      `questions: the servers saw ${seen.join(', ') || '(none)'}; the engine says ${engineQueries.join(', ')}`,
    );
  const engineResolved = trace.verdict === 'resolved';
  if (output.resolved !== engineResolved)
    problems.push(
      `the resolver ${output.resolved ? 'resolved' : 'failed'} (${output.out.trim()}); the engine says ${trace.verdict} (${trace.reason})`,
    );
  if (output.resolved && engineResolved) {
    const got = [
      ...new Set(
        output.out
          .split('\n')
          .map((l) => l.split(/\s+/)[0])
          .filter(Boolean),
      ),
    ].sort();
    const want = trace.answers
      .filter((a) => a.type === 'A')
      .map((a) => a.data)
      .sort();
    if (got.join() !== want.join())
      problems.push(
        `addresses: the resolver got ${got.join(' ')}; the engine says ${want.join(' ')}`,
      );
  }
  return { problems, engineQueries };
}
