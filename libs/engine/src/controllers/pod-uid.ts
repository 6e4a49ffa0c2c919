import type { ClusterState } from '../model/cluster-state';
import { drawInt } from '../util/rng';
import { drawFromStream } from './new-state';

/**
 * A UUID-shaped uid for the object `namespace/name`: real uids are random, so this one is drawn from
 * the object's own stream — a pod created again under the same name gets a new uid, and no other
 * object's uid, name or address moves because of it.
 */
export function uidFor(state: ClusterState, namespace: string, name: string): string {
  const hex = drawFromStream(state, `uid:${namespace}/${name}`, (source) =>
    [0, 1, 2, 3].map(() => drawInt(source, 0x1_0000_0000).toString(16).padStart(8, '0')).join(''),
  );
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
