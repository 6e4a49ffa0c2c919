import type { ClusterState } from './cluster-state';

/**
 * Memoises a value derived from a cluster's objects, rebuilt when the state's version changes. The
 * key is the objects (the pods Map), not the state object: a fork for reading (`forkForReading`)
 * shares the objects and so shares what was derived from them, while a full copy (`cloneState`)
 * has Maps of its own and derives its own.
 */
export function derivedPerVersion<T>(
  build: (state: ClusterState) => T,
): (state: ClusterState) => T {
  const cache = new WeakMap<ClusterState['pods'], { version: number; value: T }>();
  return (state) => {
    const hit = cache.get(state.pods);
    if (hit && hit.version === state.version) return hit.value;
    const value = build(state);
    cache.set(state.pods, { version: state.version, value });
    return value;
  };
}
