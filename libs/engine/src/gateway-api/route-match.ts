import { queryParams, type HttpRequest } from '../ingress/http-request';
import { ingressPathMatches, urlPath } from '../ingress/match';
import type { HttpRoute, RouteMatch, RouteRule } from './gateway-types';
import { boundedRegex } from '../util/bounded-regex';

/**
 * Gateway API hostnames (apis/v1/shared_types.go Hostname): `*.example.com` matches any number of
 * extra labels (`foo.test.example.com`) but not `example.com` itself — unlike Ingress wildcards.
 */
export function gatewayHostMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

/** Two hostnames intersect when one matches the other (both may be wildcards). */
export function hostnamesIntersect(a: string, b: string): boolean {
  return (
    gatewayHostMatches(a, b) ||
    gatewayHostMatches(b, a) ||
    (a.startsWith('*.') && b.startsWith('*.') && (a.endsWith(b.slice(1)) || b.endsWith(a.slice(1))))
  );
}

/**
 * One HTTPRouteMatch (httproute_types.go): every given condition must hold. Exact paths compare
 * whole strings; PathPrefix matches whole path elements (`/v2` matches `/v2/example` and `/v2/`, not
 * `/v2example`); header names are case-insensitive, values exact; query parameter names exact.
 */
export function routeMatches(match: RouteMatch, request: HttpRequest): boolean {
  const path = urlPath(request.path);
  if (match.path.type === 'Exact' && match.path.value !== path) return false;
  if (match.path.type === 'PathPrefix' && !ingressPathMatches('Prefix', match.path.value, path))
    return false;
  if (match.path.type === 'RegularExpression' && !safeRegex(match.path.value)?.test(path))
    return false;
  if (match.method && match.method !== request.method) return false;
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  for (const header of match.headers) {
    const value = headers[header.name.toLowerCase()];
    if (value === undefined || !valueMatches(header.type, header.value, value)) return false;
  }
  const query = queryParams(request.path);
  for (const param of match.queryParams) {
    const value = query[param.name];
    if (value === undefined || !valueMatches(param.type, param.value, value)) return false;
  }
  return true;
}

function valueMatches(type: 'Exact' | 'RegularExpression', want: string, have: string): boolean {
  return type === 'Exact' ? want === have : !!safeRegex(want)?.test(have);
}

/** RE2 syntax in implementations; JavaScript's engine is close enough for anchored, simple patterns. */
function safeRegex(pattern: string): RegExp | null {
  const read = boundedRegex(`^(?:${pattern})$`);
  return 'regex' in read ? read.regex : null;
}

export interface RouteCandidate {
  route: HttpRoute;
  rule: RouteRule;
  ruleIndex: number;
  match: RouteMatch;
  /** Characters of the route hostname that matched (non-wildcard ranks first). */
  hostnameRank: [number, number];
}

/**
 * The winner among all matching rules (httproute_types.go HTTPRouteRule "precedence"): hostname
 * specificity across routes, then an Exact path, then the longest PathPrefix, then a method match,
 * then most header matches, then most query-parameter matches, then the oldest Route, then
 * `namespace/name` alphabetically, then rule order. RegularExpression paths rank after the others
 * (their precedence is implementation-specific).
 */
export function compareCandidates(a: RouteCandidate, b: RouteCandidate): number {
  const keys = (c: RouteCandidate): number[] => [
    c.hostnameRank[0],
    c.hostnameRank[1],
    c.match.path.type === 'Exact' ? 1 : 0,
    c.match.path.type === 'RegularExpression'
      ? -1
      : c.match.path.value.replace(/(.)\/$/, '$1').length,
    c.match.method ? 1 : 0,
    c.match.headers.length,
    c.match.queryParams.length,
  ];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  if (a.route.order !== b.route.order) return a.route.order - b.route.order;
  const na = `${a.route.namespace}/${a.route.name}`;
  const nb = `${b.route.namespace}/${b.route.name}`;
  if (na !== nb) return na < nb ? -1 : 1;
  return a.ruleIndex - b.ruleIndex;
}

/** Route hostname rank for the request host: [chars of a matching exact hostname, chars of any matching hostname]. */
export function hostnameRank(route: HttpRoute, host: string): [number, number] | null {
  if (!route.hostnames.length) return [0, 0];
  const matching = route.hostnames.filter((h) => gatewayHostMatches(h, host));
  if (!matching.length) return null;
  const exact = Math.max(0, ...matching.filter((h) => !h.startsWith('*.')).map((h) => h.length));
  return [exact, Math.max(...matching.map((h) => h.length))];
}

/** The best matching rule across routes, or undefined (the Gateway answers 404). */
export function bestRouteMatch(
  routes: HttpRoute[],
  request: HttpRequest,
): RouteCandidate | undefined {
  const candidates: RouteCandidate[] = [];
  for (const route of routes) {
    const rank = hostnameRank(route, request.host);
    if (!rank) continue;
    route.rules.forEach((rule, ruleIndex) => {
      for (const match of rule.matches)
        if (routeMatches(match, request))
          candidates.push({ route, rule, ruleIndex, match, hostnameRank: rank });
    });
  }
  return candidates.sort(compareCandidates)[0];
}
