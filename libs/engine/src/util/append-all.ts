/**
 * `target.push(...items)` without the spread: a spread passes every element as a call argument,
 * and a list of about a hundred thousand (an issue per pod of a large cluster) overflows the stack.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
