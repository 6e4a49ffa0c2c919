import type { PathType } from './ingress-types';

/**
 * Ingress host matching (networking/v1 types.go IngressRule.Host): a precise host equals the Host
 * header; `*.foo.com` matches exactly one extra label (`bar.foo.com`, not `baz.bar.foo.com`, not
 * `foo.com`). An absent host matches every request.
 */
export function ingressHostMatches(ruleHost: string | undefined, requestHost: string): boolean {
  if (ruleHost === undefined) return true;
  const host = requestHost.toLowerCase();
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const suffix = ruleHost.slice(1);
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

/** How a controller reads `ImplementationSpecific`. */
export type ImplementationSpecificMode = 'string-prefix' | 'prefix' | 'exact';

/**
 * Path matching on the URL path (before `?`/`#`), case-sensitive. `Exact`: equal strings. `Prefix`:
 * element-wise on `/`, trailing slashes ignored on both sides, so `/foo/bar` matches `/foo/bar/baz`
 * but not `/foo/barbaz` (types.go PathTypePrefix; website ingress.md "Examples" table).
 */
export function ingressPathMatches(
  pathType: PathType,
  rulePath: string,
  requestPath: string,
  implementationSpecific: ImplementationSpecificMode = 'prefix',
): boolean {
  const path = urlPath(requestPath);
  if (pathType === 'Exact') return rulePath === path;
  if (pathType === 'Prefix') return elementPrefix(rulePath, path);
  if (implementationSpecific === 'exact') return rulePath === path;
  if (implementationSpecific === 'string-prefix') return path.startsWith(rulePath);
  return elementPrefix(rulePath, path);
}

export function urlPath(requestPath: string): string {
  const cut = requestPath.search(/[?#]/);
  const path = cut < 0 ? requestPath : requestPath.slice(0, cut);
  return path || '/';
}

function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

function elementPrefix(rulePath: string, path: string): boolean {
  const want = elements(rulePath);
  const have = elements(path);
  if (want.length > have.length) return false;
  return want.every((element, i) => element === have[i]);
}

export interface PathCandidate {
  path: string;
  pathType: PathType;
}

/**
 * Among matching paths the longest wins; on a tie Exact beats Prefix (types.go: "If two or more
 * paths still match, Exact is preferred over Prefix"). Earlier candidates win remaining ties, so
 * callers list them oldest Ingress first.
 */
export function bestPath<T extends PathCandidate>(
  candidates: T[],
  requestPath: string,
  implementationSpecific: ImplementationSpecificMode = 'prefix',
): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates) {
    if (
      !ingressPathMatches(candidate.pathType, candidate.path, requestPath, implementationSpecific)
    )
      continue;
    if (!best || beats(candidate, best)) best = candidate;
  }
  return best;
}

function beats(a: PathCandidate, b: PathCandidate): boolean {
  const la = matchLength(a.path);
  const lb = matchLength(b.path);
  if (la !== lb) return la > lb;
  return a.pathType === 'Exact' && b.pathType !== 'Exact';
}

/** A trailing slash does not make a Prefix path longer: `/aaa/bbb/` and `/aaa/bbb` are the same prefix. */
function matchLength(path: string): number {
  return path.length > 1 && path.endsWith('/') ? path.length - 1 : path.length;
}
