import { loadCluster } from '../cluster/load-cluster';
import { formatIssue } from '../model/issues';

const shop = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }';
const pod = (meta: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { ${meta} }\nspec: { containers: [{ name: c, image: busybox }] }`;
const service =
  'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }] }';
const clusterRole =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: reader }';

function load(docs: string[], options: Parameters<typeof loadCluster>[1]) {
  return loadCluster([{ name: 'in.yaml', content: docs.join('\n---\n') }], options);
}

describe('loadCluster with defaultNamespace (kubectl apply -n)', () => {
  it('puts namespaced objects that name no namespace in it, and leaves cluster-scoped kinds alone', () => {
    const r = load([shop, pod('name: client'), service, clusterRole], { defaultNamespace: 'shop' });
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect([...r.state!.pods.values()].map((p) => `${p.namespace}/${p.name}`)).toContain(
      'shop/client',
    );
    expect([...r.state!.services.values()].some((s) => s.namespace === 'shop')).toBe(true);
  });

  it('refuses an object that names another namespace, with kubectl message', () => {
    const r = load([shop, pod('name: client, namespace: default')], { defaultNamespace: 'shop' });
    expect(r.state).toBeNull();
    expect(r.issues.map(formatIssue)).toEqual([
      `in.yaml doc 2 Pod default/client: metadata.namespace: the namespace from the provided object "default" does not match the namespace "shop". You must pass '--namespace=default' to perform this operation.`,
    ]);
  });

  it('keeps such an object in its own namespace when enforcement is off', () => {
    const r = load([shop, pod('name: client, namespace: default'), pod('name: cart')], {
      defaultNamespace: 'shop',
      enforceNamespace: false,
    });
    const pods = [...r.state!.pods.values()].map((p) => `${p.namespace}/${p.name}`);
    expect(pods).toEqual(expect.arrayContaining(['default/client', 'shop/cart']));
  });

  it('says the namespace must exist, as the API server does', () => {
    const r = load([pod('name: client')], { defaultNamespace: 'nowhere' });
    expect(r.state).toBeNull();
    expect(r.issues.map(formatIssue).join('\n')).toMatch(/namespaces? "nowhere" not found/);
  });

  it('rejects a namespace that is not a DNS label', () => {
    const r = load([pod('name: client')], { defaultNamespace: 'Not_A_Label' });
    expect(r.state).toBeNull();
    expect(r.issues[0].message).toMatch(/^namespace "Not_A_Label": /);
  });
});
