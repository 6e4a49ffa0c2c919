import { clusterFromYaml } from '../testing/cluster-from-yaml';
import type { ClusterState } from '../model/cluster-state';
import { coreDnsAnswer } from './cluster-zone';
import { listClusterRecords } from './list-cluster-records';
import { resolvConfFor } from './resolv-conf';
import { resolveName } from './stub-resolver';

/** kubernetes.io "DNS for Services and Pods": a pod's hostname + subdomain under a headless Service, plus a StatefulSet. */
const CLUSTER = `
apiVersion: v1
kind: Service
metadata: {name: busybox-subdomain}
spec:
  clusterIP: None
  selector: {name: busybox}
  ports: [{name: foo, port: 1234}]
---
apiVersion: v1
kind: Pod
metadata: {name: busybox1, labels: {name: busybox}}
spec:
  hostname: busybox-1
  subdomain: busybox-subdomain
  containers: [{name: busybox, image: busybox:1.28}]
---
apiVersion: v1
kind: Pod
metadata: {name: busybox2, labels: {name: busybox}}
spec:
  containers: [{name: busybox, image: busybox:1.28}]
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox3
  labels: {name: busybox}
  annotations: {netplay.dev/ready: "false"}
spec:
  hostname: busybox-3
  subdomain: busybox-subdomain
  containers: [{name: busybox, image: busybox:1.28}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, labels: {app: web}}
spec:
  containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: nginx}
  ports: [{name: web, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}, annotations: {netplay.dev/ready: "false"}}
    spec:
      containers: [{name: nginx, image: nginx}]
`;

function ipOf(state: ClusterState, ref: string): string {
  const ip = state.pods.get(ref)?.ip;
  if (!ip) throw new Error(`pod ${ref} has no IP`);
  return ip;
}

const SUB = 'busybox-subdomain.default.svc.cluster.local';

describe('records of real pods behind Services', () => {
  const state = clusterFromYaml(CLUSTER);
  const a = (qname: string) => coreDnsAnswer(state, qname, 'A').answers.map((r) => r.data);

  it('gives a ready pod with hostname and subdomain its own name under the headless Service', () => {
    expect(a(`busybox-1.${SUB}`)).toEqual([ipOf(state, 'default/busybox1')]);
  });

  it('lists only ready pods at the headless Service name; a pod without hostname is there by its dashed IP', () => {
    expect([...a(SUB)].sort()).toEqual(
      [ipOf(state, 'default/busybox1'), ipOf(state, 'default/busybox2')].sort(),
    );
    const dashed = ipOf(state, 'default/busybox2').replace(/\./g, '-');
    expect(a(`${dashed}.${SUB}`)).toEqual([ipOf(state, 'default/busybox2')]);
    expect(coreDnsAnswer(state, `busybox-3.${SUB}`, 'A').rcode).toBe('NXDOMAIN');
  });

  it('names StatefulSet pods `<pod>.<serviceName>` and publishes them unready when the Service asks for it', () => {
    expect(a('db-0.nginx.default.svc.cluster.local')).toEqual([ipOf(state, 'default/db-0')]);
    expect(a('db-1.nginx.default.svc.cluster.local')).toEqual([ipOf(state, 'default/db-1')]);
  });

  it('answers endpoint names of a ClusterIP Service too (a CoreDNS extension), and their PTR', () => {
    const ip = ipOf(state, 'default/web-0');
    const name = `${ip.replace(/\./g, '-')}.web.default.svc.cluster.local`;
    expect(a(name)).toEqual([ip]);
    expect(
      coreDnsAnswer(state, `${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR').answers.map(
        (r) => r.data,
      ),
    ).toEqual([name]);
  });

  it('resolves a StatefulSet peer by its short name from a pod of the namespace', () => {
    const pod = state.pods.get('default/web-0');
    if (!pod) throw new Error('no web-0');
    const result = resolveName(state, resolvConfFor(state, pod), 'db-0.nginx', 'A');
    expect(result.resolvedName).toBe('db-0.nginx.default.svc.cluster.local');
    expect(result.addresses).toEqual([ipOf(state, 'default/db-0')]);
  });

  it('gives byte-identical record lists for the same input', () => {
    expect(JSON.stringify(listClusterRecords(clusterFromYaml(CLUSTER)))).toBe(
      JSON.stringify(listClusterRecords(state)),
    );
  });
});
