import { formatIssue } from '../model/issues';
import { issuesOf, readYaml } from './read-yaml-for-tests';
import {
  SEED_CLUSTER_IP_SERVICE_YAML,
  SEED_LOAD_BALANCER_SERVICE_YAML,
  SEED_NODE_PORT_SERVICE_YAML,
} from '../testing/seed-fixtures';

describe('readService: the seed manifests', () => {
  it('reads the website ClusterIP Service with API-server defaults', () => {
    const set = readYaml(SEED_CLUSTER_IP_SERVICE_YAML);
    expect(set.issues).toEqual([]);
    const { origin, ...service } = set.services[0];
    expect(origin).toEqual({ kind: 'manifest', doc: 1 });
    expect(service).toEqual({
      namespace: 'default',
      name: 'website',
      labels: {},
      annotations: {},
      createdSeq: 0,
      type: 'ClusterIP',
      clusterIP: '',
      selector: { app: 'website' },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
      externalIPs: [],
      loadBalancerSourceRanges: [],
      loadBalancerIngress: [],
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      sessionAffinityTimeoutSeconds: 10800,
      publishNotReadyAddresses: false,
      ipFamilies: ['IPv4'],
    });
  });

  it('reads the NodePort 30080 Service keeping the requested nodePort', () => {
    const set = readYaml(SEED_NODE_PORT_SERVICE_YAML);
    expect(set.issues).toEqual([]);
    expect(set.services[0].type).toBe('NodePort');
    expect(set.services[0].ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 },
    ]);
  });

  it('loads the LoadBalancer seed but warns about the sessionsAffinity typo, leaving affinity None', () => {
    const set = readYaml(SEED_LOAD_BALANCER_SERVICE_YAML);
    expect(set.issues.map((i) => [i.severity, i.code, formatIssue(i)])).toEqual([
      [
        'warning',
        'INVALID_FIELD',
        'doc 1 Service default/my-service: unknown field "spec.sessionsAffinity"',
      ],
    ]);
    expect(set.services[0]).toMatchObject({
      type: 'LoadBalancer',
      sessionAffinity: 'None',
      loadBalancerIngress: [],
    });
    expect(set.services[0].ports).toEqual([{ protocol: 'TCP', port: 8080, targetPort: 8080 }]);
  });
});

describe('readService: defaults and options', () => {
  it('reads ClientIP affinity with its timeout, traffic policies and named targetPorts', () => {
    const set = readYaml(`apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  internalTrafficPolicy: Local
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
  loadBalancerIP: 192.168.1.240
  loadBalancerSourceRanges: [203.0.113.0/25]
  externalIPs: [192.168.99.10]
  publishNotReadyAddresses: true
  selector: {app: api}
  ports:
  - {name: web, port: 80, targetPort: http}
  - {name: dns, port: 53, protocol: UDP}
status:
  loadBalancer:
    ingress: [{ip: 192.168.1.240}]
`);
    expect(set.issues).toEqual([]);
    expect(set.services[0]).toMatchObject({
      namespace: 'shop',
      externalTrafficPolicy: 'Local',
      internalTrafficPolicy: 'Local',
      sessionAffinity: 'ClientIP',
      sessionAffinityTimeoutSeconds: 60,
      loadBalancerIP: '192.168.1.240',
      loadBalancerSourceRanges: ['203.0.113.0/25'],
      externalIPs: ['192.168.99.10'],
      publishNotReadyAddresses: true,
      loadBalancerIngress: [{ ip: '192.168.1.240' }],
      ports: [
        { name: 'web', protocol: 'TCP', port: 80, targetPort: 'http' },
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      ],
    });
  });

  it('treats a Service without a selector as manually managed, and clusterIP None as headless', () => {
    const set = readYaml(`apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {}
`);
    expect(set.issues).toEqual([]);
    expect(set.services[0].clusterIP).toBe('None');
    expect(set.services[0].selector).toBeUndefined();
    expect(set.services[0].ports).toEqual([]);
  });

  it('reads an ExternalName Service without a ClusterIP', () => {
    const set = readYaml(
      'apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n',
    );
    expect(set.issues).toEqual([]);
    expect(set.services[0]).toMatchObject({
      type: 'ExternalName',
      clusterIP: '',
      externalName: 'example.com',
    });
  });

  it('keeps a requested clusterIP', () => {
    const set = readYaml(
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}\n',
    );
    expect(set.services[0].clusterIP).toBe('10.96.0.50');
  });

  it.each([
    [
      'ipFamilyPolicy PreferDualStack falls back to IPv4 with a warning',
      '  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]\n',
      'warning',
      'doc 1 Service default/web: spec.ipFamilyPolicy: dual-stack is not simulated: the Service gets an IPv4 ClusterIP only',
    ],
    [
      'RequireDualStack cannot be honoured',
      '  ipFamilyPolicy: RequireDualStack\n',
      'error',
      'doc 1 Service default/web: spec.ipFamilyPolicy: RequireDualStack cannot be honoured: the simulated cluster is single-stack IPv4',
    ],
    [
      'an IPv6-only Service cannot be honoured',
      '  ipFamilies: [IPv6]\n',
      'error',
      'doc 1 Service default/web: spec.ipFamilies[0]: an IPv6 Service cannot be honoured: the simulated cluster is single-stack IPv4',
    ],
    [
      'an IPv6 clusterIP cannot be honoured',
      '  clusterIP: fd00::10\n',
      'error',
      'doc 1 Service default/web: spec.clusterIP: IPv6 address "fd00::10": the simulated cluster is single-stack IPv4',
    ],
    [
      'externalTrafficPolicy on a ClusterIP Service',
      '  externalTrafficPolicy: Local\n',
      'error',
      'doc 1 Service default/web: spec.externalTrafficPolicy: Invalid value: may only be set for externally-accessible services',
    ],
    [
      'an affinity timeout over a day',
      '  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 90000}}\n',
      'error',
      'doc 1 Service default/web: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400',
    ],
    [
      'allocateLoadBalancerNodePorts on a ClusterIP Service',
      '  allocateLoadBalancerNodePorts: false\n',
      'error',
      "doc 1 Service default/web: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
    [
      'loadBalancerSourceRanges on a ClusterIP Service',
      '  loadBalancerSourceRanges: [10.0.0.0/8]\n',
      'error',
      "doc 1 Service default/web: spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
  ])('%s', (_name, extra, severity, expected) => {
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n${extra}`;
    const set = readYaml(yaml);
    const issue = set.issues.find((i) => formatIssue(i) === expected);
    expect(issuesOf(yaml)).toContain(expected);
    expect(issue?.severity).toBe(severity);
    expect(set.services[0].ipFamilies).toEqual(['IPv4']);
  });

  it.each([
    ['defaults allocateLoadBalancerNodePorts to true', '', true],
    [
      'keeps allocateLoadBalancerNodePorts false',
      '  allocateLoadBalancerNodePorts: false\n',
      false,
    ],
  ])('a LoadBalancer Service %s', (_name, extra, expected) => {
    const set = readYaml(
      `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n${extra}`,
    );
    expect(set.issues).toEqual([]);
    expect(set.services[0].allocateLoadBalancerNodePorts).toBe(expected);
  });
});
