import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { loadCluster } from '../cluster/load-cluster';
import { formatIssue } from '../model/issues';
import {
  SEED_LOAD_BALANCER_SERVICE_YAML,
  SEED_NODE_PORT_SERVICE_YAML,
} from '../testing/seed-fixtures';

/** The customer's seed document (002) verbatim: `kubectl create deployment website --replicas=3 --image=httpd` (no container port). */
const WEBSITE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: website
  labels: {app: website}
spec:
  replicas: 3
  selector: {matchLabels: {app: website}}
  template:
    metadata: {labels: {app: website}}
    spec:
      containers: [{name: httpd, image: httpd}]
`;

describe('the seed manifests load into a cluster', () => {
  it('builds the website Deployment with its NodePort Service', () => {
    const state = clusterFromYaml(WEBSITE_DEPLOYMENT, SEED_NODE_PORT_SERVICE_YAML);
    expect(state.deployments.get('default/website')?.replicas).toBe(3);
    expect(state.services.get('default/website')?.ports[0]).toMatchObject({
      name: 'http',
      port: 80,
      targetPort: 80,
      nodePort: 30080,
    });
  });

  it('builds the LoadBalancer seed, warning about the sessionsAffinity typo', () => {
    const result = loadCluster([
      { name: 'service.yaml', content: SEED_LOAD_BALANCER_SERVICE_YAML },
    ]);
    expect(result.state).not.toBeNull();
    expect(result.issues.filter((i) => i.severity === 'warning').map(formatIssue)).toContain(
      'service.yaml doc 1 Service default/my-service: unknown field "spec.sessionsAffinity"',
    );
    expect(result.state?.services.get('default/my-service')?.sessionAffinity).toBe('None');
  });

  it('refuses to build from invalid input and says why', () => {
    const result = loadCluster([
      { name: 'bad.yaml', content: SEED_NODE_PORT_SERVICE_YAML.replace('port: 80', 'port: 80000') },
    ]);
    expect(result.state).toBeNull();
    expect(result.issues.map(formatIssue)).toContain(
      'bad.yaml doc 1 Service default/website: spec.ports[0].port: must be between 1 and 65535, inclusive',
    );
  });
});
