import { DB_STATEFUL_SET_YAML } from '../controllers/spec-fixtures';
import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import {
  CLIENT_POD_YAML,
  WEBSITE_DEPLOYMENT_YAML,
  WEBSITE_NODE_PORT_YAML,
  WEBSITE_SERVICE_YAML,
} from '../testing/seed-fixtures';
import { applyMutation } from './mutations';

const UNRELATED_SERVICE_YAML = `apiVersion: v1
kind: Service
metadata: { name: metrics, namespace: default }
spec:
  type: NodePort
  selector: { app: metrics }
  ports: [{ port: 9090 }]`;

const UNRELATED_DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: cache }
spec:
  replicas: 4
  selector: { matchLabels: { app: cache } }
  template:
    metadata: { labels: { app: cache } }
    spec:
      containers: [{ name: redis, image: redis, ports: [{ containerPort: 6379 }] }]`;

const WEBSITE = [WEBSITE_DEPLOYMENT_YAML, WEBSITE_SERVICE_YAML, WEBSITE_NODE_PORT_YAML];

/** What a before/after comparison reads for the website objects: generated names, uids, allocations. */
function websiteIdentity(state: ClusterState) {
  const pods = [...state.pods.values()]
    .filter((p) => p.labels.app === 'website')
    .map((p) => `${p.name} ${p.uid} ${p.nodeName} ${p.ip}`)
    .sort();
  const services = ['default/website', 'default/web-np'].map((k) => {
    const svc = state.services.get(k);
    return `${k} ${svc?.clusterIP} ${svc?.ports.map((p) => p.nodePort ?? '-').join(',')}`;
  });
  const slices = [...state.endpointSlices.values()]
    .filter((s) => s.serviceName === 'website')
    .map((s) => s.name);
  return { pods, services, slices };
}

describe('generated names and addresses are stable under unrelated changes', () => {
  const before = websiteIdentity(clusterFromYaml(...WEBSITE, CLIENT_POD_YAML));

  it('names the website pods, slices and Services the same when an unrelated Service comes first', () => {
    const after = websiteIdentity(
      clusterFromYaml(UNRELATED_SERVICE_YAML, ...WEBSITE, CLIENT_POD_YAML),
    );
    expect(after).toEqual(before);
  });

  it('names them the same, on the same nodes and addresses, when an unrelated Deployment is appended', () => {
    const after = websiteIdentity(
      clusterFromYaml(...WEBSITE, CLIENT_POD_YAML, UNRELATED_DEPLOYMENT_YAML),
    );
    expect(after).toEqual(before);
  });

  it('names them the same when an unrelated Deployment comes first (host-local may hand them other addresses)', () => {
    const after = websiteIdentity(
      clusterFromYaml(UNRELATED_DEPLOYMENT_YAML, ...WEBSITE, CLIENT_POD_YAML),
    );
    const names = (identity: typeof before) => identity.pods.map((p) => p.split(' ').slice(0, 2));
    expect(names(after)).toEqual(names(before));
    expect(after.services).toEqual(before.services);
    expect(after.slices).toEqual(before.slices);
  });

  it('still draws different names for different seeds', () => {
    const reseeded = websiteIdentity(
      clusterFromYaml(
        'apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nmetadata: { name: kind }\nspec: { seed: other }',
        ...WEBSITE,
        CLIENT_POD_YAML,
      ),
    );
    expect(reseeded.pods).not.toEqual(before.pods);
    expect(reseeded.pods).toHaveLength(3);
  });

  it('gives a StatefulSet pod deleted and created again under its name a new uid', () => {
    const state = clusterFromYaml(DB_STATEFUL_SET_YAML);
    const firstUid = state.pods.get('default/db-0')?.uid;
    expect(firstUid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(applyMutation(state, { action: 'delete', target: 'pod/db-0' })).toEqual([]);
    const recreated = state.pods.get('default/db-0');
    expect(recreated?.uid).toBeDefined();
    expect(recreated?.uid).not.toBe(firstUid);
  });
});
