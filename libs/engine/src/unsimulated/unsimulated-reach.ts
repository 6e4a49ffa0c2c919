/**
 * Which pods and Services the objects the engine does not simulate apply to, built once per
 * cluster version: traces look a pod or Service up in O(1), and a cluster without such objects
 * pays one empty check per trace.
 */
import { derivedPerVersion } from '../model/derived';
import type { ClusterState } from '../model/cluster-state';
import type { StoredObject } from '../model/resources';
import {
  unsimulatedKind,
  type UnsimulatedConcern,
  type UnsimulatedKind,
} from '../manifests/unsimulated-kinds';
import { gammaReach, reachOf, type ObjectReach } from './object-reach';

/** One object that applies to a pod or Service on a trace's path. */
export interface UnsimulatedMention {
  kind: string;
  /** `namespace/name`, or `name` for a cluster-scoped object. */
  object: string;
  product: string;
  concern: UnsimulatedConcern;
  unreadable?: string;
}

export interface UnsimulatedReach {
  /** `namespace/name` of a pod → the objects that select it (or route in it). */
  byPod: Map<string, UnsimulatedMention[]>;
  /** `namespace/name` of a Service → the objects that route its traffic. */
  byService: Map<string, UnsimulatedMention[]>;
  /** Every such object with what it applies to, in input order (for lint). */
  objects: { mention: UnsimulatedMention; reach: ObjectReach }[];
}

const GAMMA: UnsimulatedKind = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  product: 'Gateway API',
  concern: 'routing',
  namespaced: true,
};

/** An HTTPRoute is simulated on Gateways; one with a Service parent (GAMMA) is mesh routing, which is not. */
function entryFor(object: StoredObject): UnsimulatedKind | undefined {
  const entry = unsimulatedKind(object.apiVersion, object.kind);
  if (entry) return entry;
  if (object.kind !== 'HTTPRoute' || !object.apiVersion.startsWith(`${GAMMA.group}/`))
    return undefined;
  const spec = object.body.spec as { parentRefs?: unknown } | undefined;
  const parents = Array.isArray(spec?.parentRefs) ? spec.parentRefs : [];
  return parents.some((p) => (p as { kind?: unknown })?.kind === 'Service') ? GAMMA : undefined;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export const unsimulatedReach: (state: ClusterState) => UnsimulatedReach = derivedPerVersion(
  (state) => {
    const out: UnsimulatedReach = { byPod: new Map(), byService: new Map(), objects: [] };
    for (const object of state.objects) {
      const entry = entryFor(object);
      if (!entry) continue;
      const reach = entry === GAMMA ? gammaReach(state, object) : reachOf(state, object, entry);
      const mention: UnsimulatedMention = {
        kind: object.kind,
        object: object.namespace ? `${object.namespace}/${object.name}` : object.name,
        product: entry.product,
        concern: entry.concern,
        ...(reach.unreadable ? { unreadable: reach.unreadable } : {}),
      };
      out.objects.push({ mention, reach });
      for (const pod of reach.pods) push(out.byPod, `${pod.namespace}/${pod.name}`, mention);
      for (const svc of reach.services)
        push(out.byService, `${svc.namespace}/${svc.name}`, mention);
    }
    return out;
  },
);
