import { formatIssue } from '../model/issues';
import { issuesOf, readYaml } from './read-yaml-for-tests';

const template = `  template:
    metadata: {labels: {app: website, tier: web}}
    spec:
      containers: [{name: httpd, image: httpd, ports: [{containerPort: 80}]}]
`;

describe('workloads', () => {
  it('reads a Deployment (kubectl create deployment website --replicas=3 --image=httpd)', () => {
    const set = readYaml(`apiVersion: apps/v1
kind: Deployment
metadata: {name: website, labels: {app: website}}
spec:
  replicas: 3
  selector: {matchLabels: {app: website}}
  strategy: {type: RollingUpdate}
${template}`);
    expect(set.issues).toEqual([]);
    expect(set.deployments[0]).toMatchObject({
      name: 'website',
      namespace: 'default',
      replicas: 3,
      revision: 1,
      selector: { matchLabels: { app: 'website' }, matchExpressions: [] },
      template: { labels: { app: 'website', tier: 'web' }, dnsPolicy: 'ClusterFirst', ready: true },
    });
    expect(set.deployments[0].template.containers[0].ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
    ]);
  });

  it.each([
    ['Deployment', 'deployments'],
    ['ReplicaSet', 'replicaSets'],
    ['StatefulSet', 'statefulSets'],
  ] as const)('defaults %s replicas to 1', (kind, field) => {
    const set = readYaml(
      `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {app: website}}\n${template}`,
    );
    expect(set.issues).toEqual([]);
    expect(set[field][0].replicas).toBe(1);
  });

  it('reads a StatefulSet with its governing serviceName and a DaemonSet with matchExpressions', () => {
    const set = readYaml(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: website}}
${template}---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector:
    matchExpressions: [{key: tier, operator: In, values: [web, api]}]
${template}`);
    expect(set.issues).toEqual([]);
    expect(set.statefulSets[0]).toMatchObject({ serviceName: 'db', replicas: 2 });
    expect(set.daemonSets[0]).toMatchObject({
      namespace: 'kube-system',
      selector: {
        matchLabels: {},
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }],
      },
    });
  });

  it.each([
    [
      'negative replicas',
      '  replicas: -1\n  selector: {matchLabels: {app: website}}\n',
      'doc 1 Deployment default/w: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'an empty selector',
      '  selector: {}\n',
      'doc 1 Deployment default/w: spec.selector: Invalid value: empty selector is invalid for deployment',
    ],
    [
      'a NotIn selector excluding the template',
      '  selector:\n    matchExpressions: [{key: app, operator: NotIn, values: [website]}]\n',
      'doc 1 Deployment default/w: spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
    ],
    [
      'a bad selector key',
      '  selector: {matchLabels: {"a/b/c": x}}\n',
      'doc 1 Deployment default/w: spec.selector.matchLabels: label key "a/b/c" has more than one "/"',
    ],
  ])('refuses %s', (_name, spec, expected) => {
    const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n${spec}${template}`;
    const set = readYaml(yaml);
    expect(issuesOf(yaml)).toContain(expected);
    expect(set.issues.find((i) => formatIssue(i) === expected)?.severity).toBe('error');
  });

  it('requires a template', () => {
    expect(
      issuesOf(
        'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {a: b}}\n',
      ),
    ).toContain('doc 1 ReplicaSet default/w: spec.template: Required value');
  });

  it('reads a ReplicationController: its map selector defaults to the template labels', () => {
    const set = readYaml(
      `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: web}\nspec:\n${template}`,
    );
    expect(set.issues).toEqual([]);
    expect(set.replicationControllers[0]).toMatchObject({
      name: 'web',
      replicas: 1,
      selector: { matchLabels: { app: 'website', tier: 'web' }, matchExpressions: [] },
    });
  });

  it.each([
    [
      'a selector the template labels do not match',
      '  selector: {app: other}\n',
      'doc 1 ReplicationController default/w: spec.template.metadata.labels: Invalid value: {"app":"website","tier":"web"}: `selector` does not match template `labels`',
    ],
    [
      'no selector and no template labels',
      '',
      'doc 1 ReplicationController default/w: spec.selector: Required value',
    ],
  ])('refuses a ReplicationController with %s', (_name, spec, expected) => {
    const body = spec
      ? `${spec}${template}`
      : template.replace('labels: {app: website, tier: web}', 'labels: {}');
    const yaml = `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: w}\nspec:\n${body}`;
    expect(issuesOf(yaml)).toContain(expected);
  });
});
