import { formatIssue } from '../model/issues';
import { DEFAULT_LIMITS } from './manifest-set';
import { parseYamlDocuments } from './parse-yaml';
import { readManifests } from './read-manifests';
import { issuesOf, readYaml } from './read-yaml-for-tests';

const svc = (spec: string, name = 'website') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const pod = (spec: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n${spec}`;
const deployment = (spec: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: website\nspec:\n${spec}`;
const containers = '  containers:\n  - name: c\n    image: busybox\n';

describe('readManifests: bad input gives API-server-style issues', () => {
  it.each([
    [
      'port out of range',
      `kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: b}\n---\n${svc('  ports:\n  - port: 70000\n')}`,
      'doc 3 Service default/website: spec.ports[0].port: must be between 1 and 65535, inclusive',
    ],
    [
      'port zero',
      svc('  ports:\n  - port: 0\n'),
      'doc 1 Service default/website: spec.ports[0].port: must be between 1 and 65535, inclusive',
    ],
    [
      'port as a string',
      svc('  ports:\n  - port: "80"\n'),
      'doc 1 Service default/website: spec.ports[0].port: must be an integer, got "80"',
    ],
    [
      'missing port',
      svc('  ports:\n  - name: http\n'),
      'doc 1 Service default/website: spec.ports[0].port: Required value',
    ],
    [
      'missing ports',
      svc('  selector: {app: web}\n'),
      'doc 1 Service default/website: spec.ports: Required value',
    ],
    [
      'bad protocol',
      svc('  ports:\n  - port: 80\n    protocol: HTTP\n'),
      'doc 1 Service default/website: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"',
    ],
    [
      'multi-port without names',
      svc('  ports:\n  - port: 80\n    name: http\n  - port: 443\n'),
      'doc 1 Service default/website: spec.ports[1].name: Required value',
    ],
    [
      'duplicate port names',
      svc('  ports:\n  - port: 80\n    name: http\n  - port: 81\n    name: http\n'),
      'doc 1 Service default/website: spec.ports[1].name: Duplicate value: "http"',
    ],
    [
      'duplicate port and protocol',
      svc('  ports:\n  - port: 80\n    name: a\n  - port: 80\n    name: b\n'),
      'doc 1 Service default/website: spec.ports[1]: Duplicate value: port 80 with protocol TCP',
    ],
    [
      'numeric string targetPort',
      svc('  ports:\n  - port: 80\n    targetPort: "8080"\n'),
      'doc 1 Service default/website: spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
    ],
    [
      'targetPort name too long',
      svc('  ports:\n  - port: 80\n    targetPort: a-very-long-port-name\n'),
      'doc 1 Service default/website: spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters',
    ],
    [
      'nodePort on ClusterIP',
      svc('  ports:\n  - port: 80\n    nodePort: 30080\n'),
      "doc 1 Service default/website: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ],
    [
      'bad type',
      svc('  type: Internal\n  ports:\n  - port: 80\n'),
      'doc 1 Service default/website: spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ],
    [
      'ExternalName without externalName',
      svc('  type: ExternalName\n'),
      'doc 1 Service default/website: spec.externalName: Required value',
    ],
    [
      'headless NodePort',
      svc('  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n'),
      'doc 1 Service default/website: spec.clusterIP: Invalid value: "None": may not be set to \'None\' for NodePort services',
    ],
    [
      'invalid clusterIP',
      svc('  clusterIP: 10.96.0.300\n  ports:\n  - port: 80\n'),
      'doc 1 Service default/website: spec.clusterIP: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'invalid externalIP',
      svc('  externalIPs: [1.2.3]\n  ports:\n  - port: 80\n'),
      'doc 1 Service default/website: spec.externalIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'invalid loadBalancerSourceRanges',
      svc(
        '  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/33]\n  ports:\n  - port: 80\n',
      ),
      'doc 1 Service default/website: spec.loadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
    [
      'Service name with uppercase',
      svc('  ports:\n  - port: 80\n', 'Web'),
      `doc 1 Service default/Web: metadata.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'Service name too long',
      svc('  ports:\n  - port: 80\n', 'a'.repeat(64)),
      `doc 1 Service default/${'a'.repeat(64)}: metadata.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ],
    [
      'missing metadata.name',
      'apiVersion: v1\nkind: Service\nmetadata: {}\nspec: {}\n',
      'doc 1: metadata.name: Required value: name is required',
    ],
    [
      'missing kind',
      'apiVersion: v1\nmetadata: {name: x}\n',
      'doc 1: kind: Required value: kind must be set',
    ],
    [
      'not an object',
      '- a\n- b\n',
      'doc 1: expected a Kubernetes object (a mapping with apiVersion and kind), got a list',
    ],
    [
      'wrong apiVersion for a known kind',
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web}\n',
      'doc 1 Deployment default/web: apiVersion: no matches for kind "Deployment" in version "extensions/v1beta1" (use apps/v1)',
    ],
    [
      'bad label value',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: {tier: "-bad"}\n',
      `doc 1 Namespace team: metadata.labels.tier: label value "-bad" must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric`,
    ],
    [
      'selector not matching template',
      deployment(
        `  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: other}}\n    spec:\n  ${containers.replace(/\n {2}/g, '\n    ')}`,
      ),
      'doc 1 Deployment default/website: spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
    ],
    [
      'workload without selector',
      deployment(
        `  template:\n    metadata: {labels: {app: web}}\n    spec:\n  ${containers.replace(/\n {2}/g, '\n    ')}`,
      ),
      'doc 1 Deployment default/website: spec.selector: Required value',
    ],
    [
      'In without values',
      deployment(
        `  selector:\n    matchExpressions: [{key: app, operator: In}]\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n  ${containers.replace(/\n {2}/g, '\n    ')}`,
      ),
      "doc 1 Deployment default/website: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'Exists with values',
      deployment(
        `  selector:\n    matchExpressions: [{key: app, operator: Exists, values: [web]}]\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n  ${containers.replace(/\n {2}/g, '\n    ')}`,
      ),
      "doc 1 Deployment default/website: spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      'bad selector operator',
      deployment(
        `  selector:\n    matchExpressions: [{key: app, operator: Equals, values: [web]}]\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n  ${containers.replace(/\n {2}/g, '\n    ')}`,
      ),
      'doc 1 Deployment default/website: spec.selector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    ],
    [
      'bad dnsPolicy',
      pod(`  dnsPolicy: ClusterLast\n${containers}`),
      'doc 1 Pod default/client: spec.dnsPolicy: Unsupported value: "ClusterLast": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"',
    ],
    [
      'four nameservers',
      pod(`  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1]\n${containers}`),
      'doc 1 Pod default/client: spec.dnsConfig.nameservers: Invalid value: must not have more than 3 nameservers: [1.1.1.1 8.8.8.8 9.9.9.9 1.0.0.1]',
    ],
    [
      'dnsPolicy None without nameservers',
      pod(`  dnsPolicy: None\n  dnsConfig:\n    searches: [example.com]\n${containers}`),
      'doc 1 Pod default/client: spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ],
    [
      'nameserver not an IP',
      pod(`  dnsConfig:\n    nameservers: [dns.google]\n${containers}`),
      'doc 1 Pod default/client: spec.dnsConfig.nameservers[0]: Invalid value: "dns.google": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'container port name invalid',
      pod(
        '  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 80\n      name: HTTP\n',
      ),
      'doc 1 Pod default/client: spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
    [
      'duplicate object',
      `${svc('  ports:\n  - port: 80\n')}\n---\n${svc('  ports:\n  - port: 81\n')}`,
      'doc 2 Service default/website: Duplicate value: Service default/website is already defined in doc 1',
    ],
  ])('%s', (_name, yaml, expected) => {
    const found = issuesOf(yaml);
    expect(found).toContain(expected);
    expect(readYaml(yaml).issues.find((i) => formatIssue(i) === expected)?.severity).toBe('error');
  });

  it('reports the same name in two namespaces as two objects, not a duplicate', () => {
    const yaml = `${svc('  ports:\n  - port: 80\n')}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: website, namespace: other}\nspec:\n  ports:\n  - port: 80\n`;
    const set = readYaml(yaml);
    expect(set.issues).toEqual([]);
    expect(set.services.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'default/website',
      'other/website',
    ]);
  });
});

describe('readManifests: kinds', () => {
  it('keeps networking kinds for later stages, quietly', () => {
    const yaml = [
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}',
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: web}\nspec: {}',
      'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: pool, namespace: metallb-system}\nspec: {addresses: [192.168.1.240/28]}',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp}\nspec: {priority: 10}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}',
    ].join('\n---\n');
    const set = readYaml(yaml);
    expect(set.issues).toEqual([
      {
        severity: 'info',
        code: 'NOT_SIMULATED',
        message: '1 ConfigMap object: no network meaning, kept as given',
      },
    ]);
    expect(set.objects.map((o) => [o.kind, o.namespace, o.name, o.doc])).toEqual([
      ['NetworkPolicy', 'default', 'deny', 1],
      ['IngressClass', undefined, 'nginx', 2],
      ['HTTPRoute', 'web', 'r', 3],
      ['IPAddressPool', 'metallb-system', 'pool', 4],
      ['AdminNetworkPolicy', undefined, 'anp', 5],
      ['ConfigMap', 'default', 'cfg', 6],
    ]);
    expect(set.objects[0].body).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny' },
      spec: { podSelector: {} },
    });
  });

  it('keeps an unknown kind with a warning', () => {
    const set = readYaml(
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {}\n',
    );
    expect(set.objects.map((o) => o.kind)).toEqual(['Widget']);
    expect(set.issues.map((i) => [i.severity, i.code, formatIssue(i)])).toEqual([
      [
        'warning',
        'UNKNOWN_KIND',
        'doc 1 Widget w: kind "Widget" (example.com/v1) is not simulated; kept as given',
      ],
    ]);
  });

  it('defaults the namespace of namespaced kinds and drops it from cluster-scoped ones', () => {
    const set = readYaml(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: team, namespace: ignored}\n---\n' +
        pod(containers),
    );
    expect(set.namespaces).toEqual([{ name: 'team', labels: {}, createdSeq: 0 }]);
    expect(set.pods[0].namespace).toBe('default');
  });

  it('records where each object came from', () => {
    const parsed = parseYamlDocuments(
      [{ name: 'web.yaml', content: `${pod(containers)}` }],
      DEFAULT_LIMITS,
    );
    const set = readManifests(parsed.docs);
    expect(set.pods[0].origin).toEqual({ kind: 'manifest', doc: 1, file: 'web.yaml' });
    expect(set.pods[0].createdSeq).toBe(0);
  });
});
