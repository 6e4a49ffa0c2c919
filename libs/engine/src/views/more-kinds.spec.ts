import { CONTROLLER_PROFILES } from '../ingress/controller-profiles';
import { NGINX_CLUSTER } from '../ingress/spec-fixtures';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { WEBSITE_YAML } from '../testing/seed-fixtures';
import { tableRows, WEB_FROM_CLIENT_POLICY } from '../testing/table-fixtures';
import { getView } from './get-view';

const WORKLOADS = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  replicas: 2
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: postgres, image: postgres:16 }] }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      nodeSelector: { kubernetes.io/os: linux }
      containers: [{ name: agent, image: fluent-bit }]
---
${WEB_FROM_CLIENT_POLICY}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all }
spec: { podSelector: {} }
---
apiVersion: v1
kind: Service
metadata: { name: db }
spec: { clusterIP: None, selector: { app: db }, ports: [{ port: 5432 }] }
`;

const GATEWAYS = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: nginx }
spec: { controllerName: ${CONTROLLER_PROFILES.nginx.gatewayController} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web }
spec:
  gatewayClassName: nginx
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: orphan }
spec:
  gatewayClassName: nobody
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: web }]
  hostnames: [shop.example.com, www.example.com]
  rules: [{ backendRefs: [{ name: website, port: 80 }] }]
`;

const rows = tableRows;

describe('getView: the workload, policy, endpoints and Gateway API kinds', () => {
  const state = clusterFromYaml(WEBSITE_YAML, WORKLOADS);

  it('prints StatefulSets as NAME READY AGE, wide with CONTAINERS IMAGES', () => {
    expect(rows(getView(state, 'sts').text)).toEqual([
      ['NAME', 'READY', 'AGE'],
      ['db', '2/2', '1m'],
    ]);
    expect(rows(getView(state, 'statefulsets', { output: 'wide' }).text)[1]).toEqual([
      'db',
      '2/2',
      '1m',
      'postgres',
      'postgres:16',
    ]);
  });

  it('prints a DaemonSet with one pod per node and its node selector', () => {
    const [header, row] = rows(getView(state, 'ds').text);
    expect(header).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
    ]);
    // kind's control-plane node carries the NoSchedule taint the DaemonSet does not tolerate.
    const nodes = String(state.nodes.size - 1);
    expect(row).toEqual([
      'agent',
      nodes,
      nodes,
      nodes,
      nodes,
      nodes,
      'kubernetes.io/os=linux',
      '1m',
    ]);
  });

  it('prints the Deployment-owned ReplicaSet with its counts and, wide, its selector', () => {
    const [, row] = rows(getView(state, 'rs', { output: 'wide' }).text);
    expect(row).toEqual([
      expect.stringMatching(/^website-[a-z0-9]+$/),
      '3',
      '3',
      '3',
      '1m',
      'httpd',
      'httpd',
      expect.stringMatching(/^app=website,pod-template-hash=[a-z0-9]+$/),
    ]);
  });

  it('prints NetworkPolicies with POD-SELECTOR as kubectl formats a label selector', () => {
    expect(rows(getView(state, 'netpol').text)).toEqual([
      ['NAME', 'POD-SELECTOR', 'AGE'],
      ['deny-all', '<none>', '1m'],
      ['web-from-client', 'app=website', '1m'],
    ]);
  });

  it('prints Endpoints as ready ip:port pairs, the first three then + N more', () => {
    const table = rows(getView(state, 'endpoints').text);
    expect(table[0]).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
    const byName = Object.fromEntries(table.slice(1).map(([name, endpoints]) => [name, endpoints]));
    expect(byName.db).toMatch(/^10\.244\.\d+\.\d+:5432,10\.244\.\d+\.\d+:5432$/);
    expect(byName.website).toMatch(/^(10\.244\.\d+\.\d+:80,){2}10\.244\.\d+\.\d+:80$/);
    const json = JSON.parse(getView(state, 'ep', { output: 'json' }).text);
    const website = json.items.find(
      (e: { metadata: { name: string } }) => e.metadata.name === 'website',
    );
    expect(website.subsets[0].addresses).toHaveLength(3);
    expect(website.subsets[0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
  });

  it('lists several kinds at once with kind/name rows, blank-line separated, skipping empty kinds', () => {
    const text = getView(state, 'sts,gateways,netpol').text;
    const tables = text.split('\n\n');
    expect(tables).toHaveLength(2);
    expect(tables[0]).toMatch(/^NAME +READY +AGE\nstatefulset\.apps\/db +2\/2 +1m$/);
    expect(tables[1]).toContain('networkpolicy.networking.k8s.io/deny-all');
    const list = JSON.parse(getView(state, 'sts,netpol', { output: 'json' }).text);
    expect(list.items.map((i: { kind: string }) => i.kind)).toEqual([
      'StatefulSet',
      'NetworkPolicy',
      'NetworkPolicy',
    ]);
  });

  it('refuses a node-level view in a list', () => {
    expect(getView(state, 'pods,routes').issues[0]).toMatchObject({ code: 'INVALID_FIELD' });
  });
});

describe('getView: Gateway API', () => {
  const state = clusterFromYaml(NGINX_CLUSTER, WEBSITE_YAML, GATEWAYS);

  it('marks a Gateway of an installed controller programmed and one of an unknown class Unknown', () => {
    const table = rows(getView(state, 'gateways').text);
    expect(table[0]).toEqual(['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE']);
    expect(table.slice(1).map((r) => [r[0], r[1], r[r.length - 2]])).toEqual([
      ['orphan', 'nobody', 'Unknown'],
      ['web', 'nginx', 'True'],
    ]);
  });

  it('prints HTTPRoute hostnames as kubectl prints a list column', () => {
    expect(rows(getView(state, 'httproutes').text)).toEqual([
      ['NAME', 'HOSTNAMES', 'AGE'],
      ['shop', '["shop.example.com","www.example.com"]', '1m'],
    ]);
  });
});
