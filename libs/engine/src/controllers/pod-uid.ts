import { fnv32a } from '../util/hash';

/**
 * A UUID-shaped uid derived from the object's identity and creation sequence: real uids are random,
 * but drawing them from the seeded stream would shift every later pod name, so they are hashed instead.
 */
export function uidFor(namespace: string, name: string, seq: number): string {
  const hex = [0, 1, 2, 3]
    .map((i) => fnv32a(`${i}:${namespace}/${name}#${seq}`).toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
