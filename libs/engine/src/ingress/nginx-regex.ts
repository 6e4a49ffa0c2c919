/**
 * ingress-nginx's regular-expression locations (docs/user-guide/ingress-path-matching.md, and
 * internal/ingress/controller: location.go updateServerLocations, controller.go's location sort,
 * template.go enforceRegexModifier/buildLocation/buildProxyPass):
 * - `use-regex: "true"` on an Ingress marks its paths as regular expressions; a `rewrite-target`
 *   that differs from the path implies it. Either, on any Ingress of a host, makes EVERY location of
 *   that host a case-insensitive regex location `~* "^<path>"`, whatever Ingress defines it.
 * - A Prefix path of an Ingress without regex or rewrite is first split into `<path>/` and an exact
 *   copy `<path>` (in regex mode the copy is a `~* "^<path>"` prefix match too).
 * - Locations are sorted by path length, longest first (ties: the greater string first); nginx
 *   takes the FIRST regex location that matches, not the longest.
 * - With a rewrite target, the request URI is rewritten by the path's regex before proxying:
 *   capture groups fill `$1`, `$2` … (examples/rewrite).
 */
import { boundedExec, boundedRegex } from '../util/bounded-regex';
import type { Ingress } from './ingress-types';
import type { Location } from './ingress-servers';

export const USE_REGEX = 'nginx.ingress.kubernetes.io/use-regex';
export const REWRITE_TARGET = 'nginx.ingress.kubernetes.io/rewrite-target';

export function usesRegex(ingress: Ingress): boolean {
  return ingress.annotations[USE_REGEX] === 'true';
}

function rewriteTarget(ingress: Ingress): string | undefined {
  const target = ingress.annotations[REWRITE_TARGET];
  return target === undefined || target === '' ? undefined : target;
}

/** template.go needsRewrite: a target that differs from the location's path. */
export function needsRewrite(location: Location): boolean {
  const target = rewriteTarget(location.ingress);
  return target !== undefined && target !== location.path;
}

/** The Ingresses that switch a host to regex locations, and why (for the trace). */
export function regexReasons(locations: Location[]): string[] {
  const reasons: string[] = [];
  for (const location of locations) {
    const ref = `${location.ingress.namespace}/${location.ingress.name}`;
    const reason = usesRegex(location.ingress)
      ? `Ingress ${ref} sets use-regex`
      : needsRewrite(location)
        ? `Ingress ${ref} sets rewrite-target`
        : undefined;
    if (reason && !reasons.includes(reason)) reasons.push(reason);
  }
  return reasons;
}

export interface RegexLocation {
  location: Location;
  /** The path as written in `location ~* "^<path>"`. */
  nginxPath: string;
  regex: RegExp | null;
  /** Why the location is never matched here (invalid or unbounded pattern). */
  problem?: string;
}

function entry(location: Location, nginxPath: string): RegexLocation {
  const read = boundedRegex(`^${nginxPath}`, 'i');
  return 'regex' in read
    ? { location, nginxPath, regex: read.regex }
    : { location, nginxPath, regex: null, problem: read.problem };
}

/** The host's locations in regex mode, in the order nginx tries them. */
export function regexLocations(locations: Location[]): RegexLocation[] {
  const exact = new Set(locations.filter((l) => l.pathType === 'Exact').map((l) => l.path));
  const written = new Set(locations.map((l) => l.path));
  const out: RegexLocation[] = [];
  for (const location of locations) {
    const plain =
      location.pathType === 'Prefix' &&
      location.path !== '/' &&
      !usesRegex(location.ingress) &&
      !needsRewrite(location);
    if (!plain) {
      out.push(entry(location, location.path));
      continue;
    }
    const withSlash = location.path.endsWith('/') ? location.path : `${location.path}/`;
    // A location written with the slash already keeps that path: `/foo/bar/` goes to its own
    // backend, as in the documented Path Priority example (ingress-path-matching.md).
    if (withSlash === location.path || !written.has(withSlash))
      out.push(entry(location, withSlash));
    // updateServerLocations adds the exact copy unless an Exact location has the path already.
    if (!exact.has(location.path) && withSlash !== location.path)
      out.push(entry(location, location.path));
  }
  // controller.go: a stable sort by path descending, then a stable sort by length descending.
  return out
    .map((l, i) => ({ l, i }))
    .sort((a, b) => {
      const byLength = b.l.nginxPath.length - a.l.nginxPath.length;
      if (byLength) return byLength;
      if (a.l.nginxPath !== b.l.nginxPath) return a.l.nginxPath > b.l.nginxPath ? -1 : 1;
      return a.i - b.i;
    })
    .map(({ l }) => l);
}

/** The first location whose regex matches the URL path (nginx's first-match rule for regex locations). */
export function firstRegexMatch(list: RegexLocation[], path: string): RegexLocation | undefined {
  return list.find((l) => l.regex && boundedExec(l.regex, path));
}

/**
 * buildProxyPass `rewrite "(?i)<path>" <target> break;`: the path's regex applied to the URI, `$n`
 * replaced by its capture groups; the query string is kept (nginx appends the original arguments).
 * Undefined when the location does not rewrite.
 */
export function rewrittenPath(location: Location, path: string, query: string): string | undefined {
  if (!needsRewrite(location)) return undefined;
  const target = rewriteTarget(location.ingress) as string;
  const read = boundedRegex(location.path, 'i');
  const match = 'regex' in read ? boundedExec(read.regex, path) : null;
  if (!match) return undefined;
  const uri = target.replace(/\$(\d)/g, (_, n: string) => match[Number(n)] ?? '');
  return query ? `${uri}${uri.includes('?') ? '&' : '?'}${query}` : uri;
}
