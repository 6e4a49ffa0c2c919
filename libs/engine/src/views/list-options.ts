/** What `kubectl get` flags select and how it prints. */
export interface ListOptions {
  /** `-n`; `default` when omitted (kubectl's current-context namespace in a fresh kubeconfig). */
  namespace?: string;
  /** `-A` / `--all-namespaces`: adds the NAMESPACE column. */
  all?: boolean;
  /** `-o wide`. */
  wide?: boolean;
  /** `--show-labels`: adds LABELS as the last column. */
  showLabels?: boolean;
  /** `kubectl get pods NAME`: only that object. */
  name?: string;
  /** `kubectl get pods,svc` names each row by kind (`pod/client`, `deployment.apps/website`). */
  namePrefix?: string;
}

/** The namespaced objects `kubectl get` would list with these flags, in the API server's order. */
export function selectNamespaced<T extends { namespace: string; name: string }>(
  items: Iterable<T>,
  options: ListOptions,
): T[] {
  const wanted = options.namespace ?? 'default';
  return inKeyOrder(items).filter(
    (o) =>
      (options.all || o.namespace === wanted) &&
      (options.name === undefined || o.name === options.name),
  );
}

/** Cluster-scoped objects (nodes, namespaces): `-n` and `-A` do not apply. */
export function selectClusterScoped<T extends { name: string }>(
  items: Iterable<T>,
  options: ListOptions,
): T[] {
  return inKeyOrder(items).filter((o) => options.name === undefined || o.name === options.name);
}

/** The namespace kubectl names in "No resources found in … namespace." (none with -A). */
export function listedNamespace(options: ListOptions): string | undefined {
  return options.all ? undefined : (options.namespace ?? 'default');
}

/** Prepends NAMESPACE when listing across namespaces, as kubectl does; names the kind when asked. */
export function withNamespaceColumn(
  options: ListOptions,
  headers: string[],
  rows: { namespace: string; cells: string[] }[],
) {
  const named = rows.map((r) => ({ ...r, cells: withNamePrefix(options, r.cells) }));
  if (!options.all) return { headers, rows: named.map((r) => r.cells) };
  return { headers: ['NAMESPACE', ...headers], rows: named.map((r) => [r.namespace, ...r.cells]) };
}

/** The NAME cell (the first) as `kind/name` when several kinds are listed together. */
export function withNamePrefix(options: ListOptions, cells: string[]): string[] {
  return options.namePrefix ? [`${options.namePrefix}${cells[0]}`, ...cells.slice(1)] : cells;
}

/**
 * The API server lists objects in etcd key order (`/registry/<resource>/<namespace>/<name>`), so
 * kubectl shows them sorted by namespace, then name — not in creation order.
 */
export function inKeyOrder<T extends { namespace?: string; name: string }>(
  items: Iterable<T>,
): T[] {
  return [...items].sort(
    (a, b) => compare(a.namespace ?? '', b.namespace ?? '') || compare(a.name, b.name),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
