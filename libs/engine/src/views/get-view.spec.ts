import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { WEBSITE_NODE_PORT_YAML, WEBSITE_YAML } from '../testing/seed-fixtures';
import { tableRows } from '../testing/table-fixtures';
import { getView } from './get-view';

const MORE_SERVICES = `
apiVersion: v1
kind: Service
metadata: { name: my-service }
spec:
  type: LoadBalancer
  selector: { app: my-app }
  ports: [{ port: 8080, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: db }
spec: { type: ExternalName, externalName: db.example.org }
---
${WEBSITE_NODE_PORT_YAML}
`;

const rows = tableRows;

describe('getView: kubectl tables', () => {
  const state = clusterFromYaml(WEBSITE_YAML, MORE_SERVICES);

  it('lists pods of the default namespace with READY 1/1, Running, sorted by name', () => {
    const table = rows(getView(state, 'pods').text);
    expect(table[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(table.slice(1).map((r) => r[0])).toEqual([...table.slice(1).map((r) => r[0])].sort());
    expect(table.slice(1).map((r) => r.slice(1, 4))).toEqual(
      Array(4).fill(['1/1', 'Running', '0']),
    );
  });

  it('adds the wide columns with <none> for nominated node and readiness gates', () => {
    const table = rows(getView(state, 'po', { output: 'wide' }).text);
    expect(table[0]).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    for (const row of table.slice(1))
      expect(row.slice(5)).toEqual([
        expect.stringMatching(/^10\.244\./),
        expect.stringMatching(/^worker2?$/),
        '<none>',
        '<none>',
      ]);
  });

  it('puts NAMESPACE first with -A and includes kube-system pods', () => {
    const table = rows(getView(state, 'pods', { all: true }).text);
    expect(table[0][0]).toBe('NAMESPACE');
    expect(table.some((r) => r[0] === 'kube-system')).toBe(true);
  });

  it.each([
    [
      'my-service',
      [
        'LoadBalancer',
        expect.stringMatching(/^10\.96\./),
        '<pending>',
        expect.stringMatching(/^8080:3\d{4}\/TCP$/),
      ],
    ],
    ['db', ['ExternalName', '<none>', 'db.example.org', '<none>']],
    ['web-np', ['NodePort', expect.stringMatching(/^10\.96\./), '<none>', '80:30080/TCP']],
    ['website', ['ClusterIP', expect.stringMatching(/^10\.96\./), '<none>', '80/TCP']],
  ])('prints service %s as kubectl does', (name, cells) => {
    const row = rows(getView(state, 'svc').text).find((r) => r[0] === name);
    expect(row?.slice(1, 5)).toEqual(cells);
  });

  it('prints kube-dns with its three ports in kube-system', () => {
    const row = rows(getView(state, 'services', { namespace: 'kube-system' }).text).find(
      (r) => r[0] === 'kube-dns',
    );
    expect(row?.slice(1, 5)).toEqual([
      'ClusterIP',
      '10.96.0.10',
      '<none>',
      '53/UDP,53/TCP,9153/TCP',
    ]);
  });

  it('lists the website EndpointSlice with its three addresses', () => {
    const row = rows(getView(state, 'endpointslices').text).find((r) =>
      r[0].startsWith('website-'),
    );
    expect(row?.slice(1, 4)).toEqual([
      'IPv4',
      '80',
      expect.stringMatching(/^10\.244\.\d+\.\d+,10\.244\.\d+\.\d+,10\.244\.\d+\.\d+$/),
    ]);
  });

  it('shows nodes with control-plane and <none> roles', () => {
    const table = rows(getView(state, 'no').text);
    expect(table.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['control-plane', 'Ready', 'control-plane'],
      ['worker', 'Ready', '<none>'],
      ['worker2', 'Ready', '<none>'],
    ]);
  });

  it('shows the deployment 3/3 ready', () => {
    expect(rows(getView(state, 'deploy').text)[1].slice(0, 4)).toEqual([
      'website',
      '3/3',
      '3',
      '3',
    ]);
  });

  it('prints "No resources found" for an empty namespace', () => {
    expect(getView(state, 'pods', { namespace: 'kube-public' }).text).toBe(
      'No resources found in kube-public namespace.\n',
    );
  });

  it('reports an unknown kind and a missing object as issues, not exceptions', () => {
    expect(getView(state, 'widgets').issues[0]).toMatchObject({
      severity: 'error',
      code: 'UNKNOWN_KIND',
    });
    expect(getView(state, 'svc', { name: 'nope' }).issues[0]).toMatchObject({
      code: 'NOT_FOUND',
      message: 'services "nope" not found',
    });
  });
});

describe('getView: -o json and -o yaml', () => {
  const state = clusterFromYaml(WEBSITE_YAML);

  it('prints one named Service as a v1 object with spec and status', () => {
    const svc = JSON.parse(getView(state, 'svc', { name: 'website', output: 'json' }).text);
    expect(svc).toMatchObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'website', namespace: 'default' },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
        selector: { app: 'website' },
      },
      status: { loadBalancer: {} },
    });
  });

  it('wraps a listing in a v1 List', () => {
    const list = JSON.parse(getView(state, 'pods', { output: 'json' }).text);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items).toHaveLength(4);
    expect(list.items[0]).toMatchObject({ kind: 'Pod', status: { phase: 'Running' } });
  });

  it('prints EndpointSlices as discovery.k8s.io/v1 and nodes with their InternalIP', () => {
    const slices = JSON.parse(getView(state, 'endpointslices', { output: 'json' }).text).items;
    expect(
      slices.find((s: { metadata: { name: string } }) => s.metadata.name.startsWith('website-')),
    ).toMatchObject({
      apiVersion: 'discovery.k8s.io/v1',
      addressType: 'IPv4',
      ports: [{ port: 80 }],
    });
    const node = JSON.parse(getView(state, 'nodes', { name: 'worker', output: 'json' }).text);
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '172.18.0.3' });
  });

  it('prints YAML with the same content', () => {
    expect(getView(state, 'svc', { name: 'website', output: 'yaml' }).text).toMatch(
      /^apiVersion: v1\nkind: Service\n/,
    );
  });
});

describe('getView: node-level views', () => {
  const state = clusterFromYaml(WEBSITE_YAML);

  it('prints the client pod resolv.conf exactly as in the seed', () => {
    expect(getView(state, 'resolv.conf', { pod: 'default/client' }).text).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local localdomain\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });

  it('prints the service link variables kubelet injects, one NAME=value per line', () => {
    const lines = getView(state, 'env', { pod: 'client' }).text.trimEnd().split('\n');
    expect(lines).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    expect(lines).toContainEqual(expect.stringMatching(/^WEBSITE_SERVICE_HOST=10\.96\./));
    expect(lines).toContain('WEBSITE_SERVICE_PORT_HTTP=80');
  });

  it('lists the website A record among CoreDNS records with absolute names', () => {
    const text = getView(state, 'dns-records').text;
    expect(text).toMatch(/^NAME +TTL +CLASS +TYPE +DATA\n/);
    expect(text).toMatch(/\nwebsite\.default\.svc\.cluster\.local\. +\d+ +IN +A +10\.96\./);
  });

  it('renders kube-proxy rules and routes for a node, and reports an unknown node', () => {
    expect(getView(state, 'iptables', { node: 'worker' }).text).toContain('KUBE-SERVICES');
    expect(getView(state, 'routes', { node: 'worker' }).text).toMatch(
      /10\.244\.2\.0\/24 via 172\.18\.0\.4/,
    );
    expect(getView(state, 'routes', { node: 'nope' }).issues[0]).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nodes "nope" not found'),
    });
  });

  it('asks for a pod or node when the view needs one', () => {
    expect(getView(state, 'resolv.conf').issues[0].code).toBe('MISSING_FIELD');
    expect(getView(state, 'kube-proxy-rules').issues[0].code).toBe('MISSING_FIELD');
    expect(getView(state, 'env', { pod: 'default/ghost' }).issues[0].code).toBe('NOT_FOUND');
  });
});

describe('getView: state changes', () => {
  it('shows a cordoned node as Ready,SchedulingDisabled and a failed one as NotReady', () => {
    const state = clusterFromYaml(WEBSITE_YAML);
    state.nodes.get('worker')!.unschedulable = true;
    state.nodes.get('worker2')!.ready = false;
    const table = rows(getView(state, 'nodes').text);
    expect(table.slice(1).map((r) => r[1])).toEqual([
      'Ready',
      'Ready,SchedulingDisabled',
      'NotReady',
    ]);
  });

  it('lists at most three endpoint addresses then "+ N more..."', () => {
    const state = clusterFromYaml(WEBSITE_YAML.replace('replicas: 3', 'replicas: 5'));
    const row = rows(getView(state, 'endpointslices').text).find((r) =>
      r[0].startsWith('website-'),
    );
    expect(row?.[3]).toMatch(
      /^10\.244\.\d+\.\d+,10\.244\.\d+\.\d+,10\.244\.\d+\.\d+ \+ 2 more\.\.\.$/,
    );
  });
});
