/**
 * Kinds of other implementations that change what happens to traffic — another CNI's policies,
 * service-mesh and proxy routing — which the engine keeps as given but does not simulate. Reading
 * one is a load warning saying so (instead of the generic unknown-kind one); traces through what
 * it selects say so at that hop (unsimulated/).
 */
export type UnsimulatedConcern = 'policy' | 'routing';

export interface UnsimulatedKind {
  /** The API group, as in `apiVersion` before the `/`. */
  group: string;
  kind: string;
  /** Who implements it, as a learner knows the product. */
  product: string;
  concern: UnsimulatedConcern;
  namespaced: boolean;
}

/** The cluster-scoped ones; every other kind of the table is namespaced. */
const CLUSTER_SCOPED = new Set([
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'ClusterNetworkPolicy',
]);

const TABLE: [string, string, UnsimulatedConcern, string[]][] = [
  ['cilium.io', 'Cilium', 'policy', ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']],
  ['projectcalico.org', 'Calico', 'policy', ['NetworkPolicy', 'GlobalNetworkPolicy']],
  ['crd.projectcalico.org', 'Calico', 'policy', ['NetworkPolicy', 'GlobalNetworkPolicy']],
  ['crd.antrea.io', 'Antrea', 'policy', ['NetworkPolicy', 'ClusterNetworkPolicy']],
  [
    'security.istio.io',
    'Istio',
    'policy',
    ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'],
  ],
  ['networking.istio.io', 'Istio', 'routing', ['VirtualService', 'DestinationRule', 'Sidecar']],
  ['policy.linkerd.io', 'Linkerd', 'policy', ['Server', 'AuthorizationPolicy']],
  [
    'traefik.io',
    'Traefik',
    'routing',
    ['IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP', 'Middleware'],
  ],
  [
    'traefik.containo.us',
    'Traefik',
    'routing',
    ['IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP', 'Middleware'],
  ],
  ['projectcontour.io', 'Contour', 'routing', ['HTTPProxy']],
  ['configuration.konghq.com', 'Kong', 'routing', ['KongIngress', 'KongPlugin']],
  [
    'gateway.networking.k8s.io',
    'Gateway API',
    'routing',
    ['GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'],
  ],
];

const BY_KEY = new Map<string, UnsimulatedKind>(
  TABLE.flatMap(([group, product, concern, kinds]) =>
    kinds.map(
      (kind) =>
        [
          `${group}/${kind}`,
          { group, kind, product, concern, namespaced: !CLUSTER_SCOPED.has(kind) },
        ] as const,
    ),
  ),
);

/** The entry for `apiVersion` and `kind`, when it is a known kind of another implementation. */
export function unsimulatedKind(apiVersion: string, kind: string): UnsimulatedKind | undefined {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? undefined : BY_KEY.get(`${apiVersion.slice(0, slash)}/${kind}`);
}

/** The load warning for such an object. */
export function unsimulatedKindMessage(entry: UnsimulatedKind, apiVersion: string): string {
  const what =
    entry.concern === 'policy'
      ? `the engine enforces Kubernetes NetworkPolicy and admin network policies only, so traces through the pods it applies to say so, and their verdicts may differ`
      : `traces through what it routes say so, and the real routing may differ`;
  return `${entry.kind} (${apiVersion}) is ${entry.product}'s and is not simulated: ${what}`;
}
