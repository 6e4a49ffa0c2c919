import { namespaceObject } from '../controllers/builtins';
import { nextSeq, touch } from '../controllers/new-state';
import type { ManifestSet } from '../manifests/manifest-set';
import type { ClusterState } from '../model/cluster-state';

/** Namespaces the load-balancer implementations' install manifests create (metallb-native.yaml, OpenELB's openelb.yaml). */
const PROVIDER_NAMESPACES: Record<string, string> = {
  metallb: 'metallb-system',
  openelb: 'openelb-system',
};

/**
 * Installing MetalLB (or OpenELB) creates its namespace before any of its custom resources are
 * applied; a learner pasting only the IPAddressPool has that installation in mind.
 */
export function installLoadBalancerProvider(state: ClusterState, set: ManifestSet): void {
  const wanted = new Set<string>();
  const configured = state.config.loadBalancer?.provider;
  if (configured && PROVIDER_NAMESPACES[configured]) wanted.add(PROVIDER_NAMESPACES[configured]);
  if (set.objects.some((o) => o.apiVersion.startsWith('metallb.io/')))
    wanted.add(PROVIDER_NAMESPACES.metallb);
  for (const name of wanted) {
    if (state.namespaces.has(name)) continue;
    state.namespaces.set(name, namespaceObject(name, {}, nextSeq(state)));
    touch(state);
  }
}
