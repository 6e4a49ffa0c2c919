import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { unsimulatedReach } from './unsimulated-reach';

const PODS = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec: { containers: [{ name: c, image: postgres }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec: { containers: [{ name: c, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }`;

/** `kind ns/name` → the pods and Services it applies to. */
function reach(object: string): Record<string, string[]> {
  const state = clusterFromYaml(PODS, object);
  return Object.fromEntries(
    unsimulatedReach(state).objects.map(({ mention, reach: r }) => [
      `${mention.kind} ${mention.object}`,
      [
        ...r.pods.map((p) => `pod ${p.namespace}/${p.name}`),
        ...r.services.map((s) => `service ${s.namespace}/${s.name}`),
        ...(mention.unreadable ? [`unreadable: ${mention.unreadable}`] : []),
      ],
    ]),
  );
}

describe('what objects of other implementations apply to', () => {
  it.each([
    [
      'a CiliumNetworkPolicy selects in its namespace, k8s: prefixes stripped',
      "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: p, namespace: shop }\nspec: { endpointSelector: { matchLabels: { 'k8s:app': web } } }",
      { 'CiliumNetworkPolicy shop/p': ['pod shop/web'] },
    ],
    [
      'a CiliumClusterwideNetworkPolicy selects everywhere, by namespace label too',
      "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: p }\nspec: { endpointSelector: { matchLabels: { app: web, 'k8s:io.cilium.k8s.namespace.labels.team': shop } } }",
      { 'CiliumClusterwideNetworkPolicy p': ['pod shop/web'] },
    ],
    [
      'a Cilium host policy (nodeSelector only) selects no pod',
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: host }\nspec: { nodeSelector: {} }',
      { 'CiliumClusterwideNetworkPolicy host': [] },
    ],
    [
      'a Calico GlobalNetworkPolicy with a namespaceSelector',
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: { name: g }\nspec: { selector: "app == \'web\'", namespaceSelector: "team == \'shop\'" }',
      { 'GlobalNetworkPolicy g': ['pod shop/web'] },
    ],
    [
      'a Calico policy whose selector cannot be read is assumed to select its whole scope',
      'apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata: { name: n, namespace: shop }\nspec: { selector: "app = \'web\'" }',
      {
        'NetworkPolicy shop/n': [
          'pod shop/web',
          'pod shop/db',
          'unreadable: its selector could not be read',
        ],
      },
    ],
    [
      'an Antrea NetworkPolicy by appliedTo',
      'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: { name: a, namespace: shop }\nspec: { appliedTo: [{ podSelector: { matchLabels: { app: db } } }] }',
      { 'NetworkPolicy shop/a': ['pod shop/db'] },
    ],
    [
      'an Istio AuthorizationPolicy without selector covers its namespace',
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: deny, namespace: shop }\nspec: {}',
      { 'AuthorizationPolicy shop/deny': ['pod shop/web', 'pod shop/db'] },
    ],
    [
      'an Istio AuthorizationPolicy in the root namespace covers the mesh',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: istio-system }\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: web, namespace: istio-system }\nspec: { selector: { matchLabels: { app: web } } }',
      { 'AuthorizationPolicy istio-system/web': ['pod shop/web', 'pod default/web'] },
    ],
    [
      'an Istio VirtualService routes the Services its hosts name',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: v }\nspec: { hosts: [web.shop.svc.cluster.local, "*.example.com"], http: [{ route: [{ destination: { host: web.shop } }] }] }',
      { 'VirtualService default/v': ['service shop/web'] },
    ],
    [
      'a Linkerd Server selects by podSelector',
      'apiVersion: policy.linkerd.io/v1beta3\nkind: Server\nmetadata: { name: s, namespace: shop }\nspec: { podSelector: { matchLabels: { app: db } }, port: 5432 }',
      { 'Server shop/s': ['pod shop/db'] },
    ],
    [
      'a Contour HTTPProxy routes to its Services',
      'apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: { name: h, namespace: shop }\nspec: { routes: [{ services: [{ name: web, port: 80 }] }] }',
      { 'HTTPProxy shop/h': ['service shop/web'] },
    ],
    [
      'an HTTPRoute with a Service parent (GAMMA)',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r, namespace: shop }\nspec: { parentRefs: [{ group: "", kind: Service, name: web }] }',
      { 'HTTPRoute shop/r': ['service shop/web'] },
    ],
  ])('%s', (_case, object, expected) => {
    expect(reach(object)).toEqual(expected);
  });

  it('an HTTPRoute attached to a Gateway is simulated, so not listed', () => {
    expect(
      reach(
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r }\nspec: { parentRefs: [{ name: gw }] }',
      ),
    ).toEqual({});
  });
});
