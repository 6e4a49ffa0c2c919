import type { HttpRequest } from '../ingress/http-request';
import type { ClusterState } from '../model/cluster-state';
import { selectorMatches } from '../util/labels';
import { draw } from '../util/rng';
import {
  isGatewayParent,
  refOf,
  type BackendRef,
  type Gateway,
  type HttpRoute,
  type Listener,
  type RouteMatch,
} from './gateway-types';
import { readGatewayObjects } from './read-gateway';
import { bestRouteMatch, gatewayHostMatches, hostnamesIntersect } from './route-match';

export type GatewayRoute =
  | {
      kind: 'backend';
      gateway: Gateway;
      listener: Listener;
      route: HttpRoute;
      ruleIndex: number;
      match: RouteMatch;
      backend: BackendRef;
      probability: number;
      why: string;
    }
  | { kind: 'response'; status: number; why: string; gateway?: Gateway; listener?: Listener };

/**
 * Listener precedence for a host (gateway_types.go Listener.Hostname): an exact hostname, then the
 * wildcard with the most characters, then a listener without hostname.
 */
function listenerRank(listener: Listener): number {
  if (!listener.hostname) return 0;
  return listener.hostname.startsWith('*.')
    ? listener.hostname.length
    : 10_000 + listener.hostname.length;
}

/** Whether the listener lets the route attach (parentRefs, sectionName, port, allowedRoutes, hostnames). */
export function routeAttaches(
  state: ClusterState,
  gateway: Gateway,
  listener: Listener,
  route: HttpRoute,
): boolean {
  const parented = route.parentRefs.some(
    (p) =>
      isGatewayParent(p) &&
      p.name === gateway.name &&
      (p.namespace ?? route.namespace) === gateway.namespace &&
      (p.sectionName === undefined || p.sectionName === listener.name) &&
      (p.port === undefined || p.port === listener.port),
  );
  if (!parented) return false;
  if (listener.from === 'Same' && route.namespace !== gateway.namespace) return false;
  if (listener.from === 'Selector') {
    const labels = state.namespaces.get(route.namespace)?.labels ?? {};
    if (!listener.selector || !selectorMatches(listener.selector, labels)) return false;
  }
  if (
    listener.hostname &&
    route.hostnames.length &&
    !route.hostnames.some((h) => hostnamesIntersect(h, listener.hostname as string))
  )
    return false;
  return true;
}

/**
 * How the Gateways of a controller route one request arriving on `port`: the most specific
 * listener for the Host, the routes attached to it, the winning match by the spec's precedence,
 * then a weighted backendRef drawn from the seeded stream. Null when no Gateway of this controller
 * listens on the port (the request is not Gateway API traffic).
 */
export function routeGatewayRequest(
  state: ClusterState,
  controllerName: string,
  port: number,
  request: HttpRequest,
): GatewayRoute | null {
  const objects = readGatewayObjects(state.objects);
  const classes = new Set(
    objects.classes.filter((c) => c.controllerName === controllerName).map((c) => c.name),
  );
  const protocol = request.scheme === 'https' ? 'HTTPS' : 'HTTP';
  const listening = objects.gateways
    .filter((g) => classes.has(g.className))
    .flatMap((gateway) =>
      gateway.listeners
        .filter((l) => l.port === port && l.protocol === protocol)
        .map((listener) => ({ gateway, listener })),
    );
  if (!listening.length) return null;
  const forHost = listening.filter(
    ({ listener }) => !listener.hostname || gatewayHostMatches(listener.hostname, request.host),
  );
  if (!forHost.length)
    return {
      kind: 'response',
      status: 404,
      why: `no ${protocol} listener on port ${port} accepts host ${request.host}`,
    };
  const { gateway, listener } = forHost.reduce((best, c) =>
    listenerRank(c.listener) > listenerRank(best.listener) ? c : best,
  );
  const where = `Gateway ${refOf(gateway)} listener ${listener.name}`;
  const routes = objects.routes.filter((r) => routeAttaches(state, gateway, listener, r));
  const hit = bestRouteMatch(routes, request);
  if (!hit)
    return {
      kind: 'response',
      status: 404,
      why: `${where}: no HTTPRoute rule matches ${request.method} ${request.path}`,
      gateway,
      listener,
    };
  const ruleWhere = `${where}: HTTPRoute ${refOf(hit.route)} rule ${hit.ruleIndex} (${describeMatch(hit.match)}) wins`;
  const weighted = hit.rule.backendRefs.filter((b) => b.weight > 0);
  const total = weighted.reduce((sum, b) => sum + b.weight, 0);
  if (!total)
    return {
      kind: 'response',
      status: 500,
      why: `${ruleWhere}, but it has no backendRef with a weight above 0: the Gateway answers 500`,
      gateway,
      listener,
    };
  let roll = draw(state) * total;
  const backend = weighted.find((b) => (roll -= b.weight) < 0) ?? weighted[weighted.length - 1];
  return {
    kind: 'backend',
    gateway,
    listener,
    route: hit.route,
    ruleIndex: hit.ruleIndex,
    match: hit.match,
    backend,
    probability: backend.weight / total,
    why: ruleWhere,
  };
}

export function describeMatch(match: RouteMatch): string {
  const parts = [`path ${match.path.type} ${match.path.value}`];
  if (match.method) parts.push(`method ${match.method}`);
  for (const h of match.headers) parts.push(`header ${h.name}=${h.value}`);
  for (const q of match.queryParams) parts.push(`query ${q.name}=${q.value}`);
  return parts.join(', ');
}
