import { formatIssue } from '../model/issues';
import { issuesOf, readYaml } from './read-yaml-for-tests';

describe('readPod', () => {
  it('applies the API server defaults: ClusterFirst, service links on, TCP ports, ready, unscheduled', () => {
    const set = readYaml(`apiVersion: v1
kind: Pod
metadata: {name: client, labels: {run: client}}
spec:
  initContainers: [{name: init, image: busybox}]
  containers:
  - name: c
    image: busybox
    ports: [{containerPort: 8080, name: http}]
`);
    expect(set.issues).toEqual([]);
    const { origin: _origin, ...pod } = set.pods[0];
    expect(pod).toEqual({
      namespace: 'default',
      name: 'client',
      labels: { run: 'client' },
      annotations: {},
      createdSeq: 0,
      containers: [
        {
          name: 'c',
          image: 'busybox',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        },
      ],
      hostNetwork: false,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      nodeSelector: {},
      tolerations: [],
      ready: true,
      uid: '',
      nodeName: '',
      ip: '',
      phase: 'Pending',
      terminating: false,
    });
  });

  it('reads networking fields: hostNetwork, dnsConfig, hostname/subdomain, nodeName, nodeSelector, tolerations, hostPort', () => {
    const set = readYaml(`apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, annotations: {team: a}}
spec:
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  dnsConfig:
    nameservers: [1.1.1.1]
    searches: [corp.example.com]
    options: [{name: ndots, value: "2"}, {name: edns0}]
  hostname: web-0
  subdomain: web
  nodeName: worker2
  nodeSelector: {disk: ssd}
  enableServiceLinks: false
  tolerations:
  - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
  - {key: dedicated, value: db, effect: NoExecute}
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 53, protocol: UDP, hostPort: 5353}]
`);
    expect(set.issues).toEqual([]);
    expect(set.pods[0]).toMatchObject({
      namespace: 'shop',
      annotations: { team: 'a' },
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      dnsConfig: {
        nameservers: ['1.1.1.1'],
        searches: ['corp.example.com'],
        options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
      },
      hostname: 'web-0',
      subdomain: 'web',
      nodeName: 'worker2',
      nodeSelector: { disk: 'ssd' },
      enableServiceLinks: false,
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' },
      ],
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ containerPort: 53, protocol: 'UDP', hostPort: 5353 }],
        },
      ],
    });
  });

  it('defaults hostPort to containerPort on the host network, as SetDefaults_Pod does', () => {
    const set = readYaml(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: x, ports: [{containerPort: 9100}]}]\n',
    );
    expect(set.pods[0].containers[0].ports).toEqual([
      { containerPort: 9100, protocol: 'TCP', hostPort: 9100 },
    ]);
  });

  it.each([
    [
      'the netplay.dev/ready annotation',
      'metadata: {name: p, annotations: {netplay.dev/ready: "false"}}\n',
      false,
    ],
    [
      'a Ready=False status condition',
      'metadata: {name: p}\nstatus:\n  conditions: [{type: Ready, status: "False"}]\n',
      false,
    ],
    [
      'a Ready=True status condition',
      'metadata: {name: p}\nstatus:\n  conditions: [{type: Ready, status: "True"}]\n',
      true,
    ],
    ['no annotation or status', 'metadata: {name: p}\n', true],
  ])('readiness from %s', (_name, rest, ready) => {
    const set = readYaml(
      `apiVersion: v1\nkind: Pod\n${rest}spec:\n  containers: [{name: c, image: x}]\n`,
    );
    expect(set.issues).toEqual([]);
    expect(set.pods[0].ready).toBe(ready);
  });

  it('marks a pod with a deletionTimestamp as terminating', () => {
    const set = readYaml(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, deletionTimestamp: "2024-01-01T00:00:00Z"}\nspec:\n  containers: [{name: c, image: x}]\n',
    );
    expect(set.pods[0].terminating).toBe(true);
  });

  it.each([
    [
      'dnsPolicy None without dnsConfig',
      '  dnsPolicy: None\n',
      'doc 1 Pod default/p: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ],
    [
      'an invalid hostname',
      '  hostname: Web_0\n',
      `doc 1 Pod default/p: spec.hostname: Invalid value: "Web_0": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'Exists toleration with a value',
      '  tolerations: [{key: a, operator: Exists, value: b}]\n',
      'doc 1 Pod default/p: spec.tolerations[0].operator: Invalid value: "Exists": value must be empty when `operator` is \'Exists\'',
    ],
    [
      'an IPv6 nameserver',
      '  dnsConfig: {nameservers: ["2001:4860:4860::8888"]}\n',
      'doc 1 Pod default/p: spec.dnsConfig.nameservers[0]: IPv6 address "2001:4860:4860::8888": the simulated cluster is single-stack IPv4',
    ],
  ])('refuses %s', (_name, extra, expected) => {
    expect(
      issuesOf(
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${extra}  containers: [{name: c, image: x}]\n`,
      ),
    ).toContain(expected);
  });

  it.each([
    ['containers missing', 'spec: {}\n', 'doc 1 Pod default/p: spec.containers: Required value'],
    [
      'containerPort missing',
      'spec:\n  containers: [{name: c, image: x, ports: [{name: web}]}]\n',
      'doc 1 Pod default/p: spec.containers[0].ports[0].containerPort: Required value',
    ],
    [
      'duplicate container port names across containers',
      'spec:\n  containers:\n  - {name: a, image: x, ports: [{containerPort: 80, name: web}]}\n  - {name: b, image: x, ports: [{containerPort: 81, name: web}]}\n',
      'doc 1 Pod default/p: spec.containers[1].ports[0].name: Duplicate value: "web"',
    ],
    [
      'hostPort out of range',
      'spec:\n  containers: [{name: c, image: x, ports: [{containerPort: 80, hostPort: 70000}]}]\n',
      'doc 1 Pod default/p: spec.containers[0].ports[0].hostPort: must be between 1 and 65535, inclusive',
    ],
  ])('refuses %s', (_name, rest, expected) => {
    expect(issuesOf(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n${rest}`)).toContain(expected);
  });

  it('warns about unknown pod and container fields but accepts the real ones', () => {
    const set = readYaml(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Always
  serviceAccountName: default
  volumes: []
  hostnetwork: true
  containers:
  - name: c
    image: x
    env: [{name: A, value: b}]
    readinessProbe: {httpGet: {path: /, port: 80}}
    port: 80
`);
    expect(set.issues.map((i) => [i.severity, formatIssue(i)])).toEqual([
      ['warning', 'doc 1 Pod default/p: unknown field "spec.hostnetwork"'],
      ['warning', 'doc 1 Pod default/p: unknown field "spec.containers[0].port"'],
    ]);
    expect(set.pods[0].hostNetwork).toBe(false);
  });

  it.each([
    [
      'Pod',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {netplay.dev/listen-ports: "80,http"}}\nspec: {containers: [{name: c, image: x}]}\n',
      'doc 1 Pod default/p: metadata.annotations.netplay.dev/listen-ports: Invalid value: "80,http": must be "any", "declared", or a list of ports such as "8080,5353/UDP"; ignored',
    ],
    [
      'Deployment',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}, annotations: {netplay.dev/listen-ports: all}}\n    spec: {containers: [{name: c, image: x}]}\n',
      'doc 1 Deployment default/d: spec.template.metadata.annotations.netplay.dev/listen-ports: Invalid value: "all": must be "any", "declared", or a list of ports such as "8080,5353/UDP"; ignored',
    ],
  ])('warns about a %s listen-ports annotation it cannot read', (_kind, yaml, expected) => {
    const set = readYaml(yaml);
    expect(set.issues.map((i) => [i.severity, formatIssue(i)])).toEqual([['warning', expected]]);
  });
});
