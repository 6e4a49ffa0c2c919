/**
 * References between Gateway API objects that the API server accepts but that leave a Gateway or
 * a route doing nothing: a Gateway naming a GatewayClass that does not exist (no controller
 * programs it), an HTTPRoute whose parent Gateway does not exist (it attaches to nothing: status
 * `Accepted: False`, reason `NoMatchingParent`), and GAMMA parents (a Service as parentRef: mesh
 * routing of east-west traffic, which the engine does not simulate).
 */
import { objectRef, type EngineIssue } from '../model/issues';
import { gatewayHostMatches } from './route-match';
import {
  isGatewayParent,
  isServiceParent,
  refOf,
  type Gateway,
  type HttpRoute,
  type ParentRef,
} from './gateway-types';
import type { GatewayObjects } from './read-gateway';

function at(kind: string, object: Gateway | HttpRoute, path: string) {
  return {
    doc: object.doc,
    ...(object.file !== undefined ? { file: object.file } : {}),
    object: objectRef(kind, object.namespace, object.name),
    path,
  };
}

export function parentNamespace(route: HttpRoute, ref: ParentRef): string {
  return ref.namespace ?? route.namespace;
}

/** The Gateways among `objects` whose GatewayClass does not exist. */
export function classlessGateways(objects: GatewayObjects): Gateway[] {
  const classes = new Set(objects.classes.map((c) => c.name));
  return objects.gateways.filter((g) => g.className && !classes.has(g.className));
}

/** Gateway parentRefs of a route that name no existing Gateway. */
export function missingParents(objects: GatewayObjects, route: HttpRoute): ParentRef[] {
  const gateways = new Set(objects.gateways.map(refOf));
  return route.parentRefs.filter(
    (p) => isGatewayParent(p) && !gateways.has(`${parentNamespace(route, p)}/${p.name}`),
  );
}

/** The load warnings for dangling Gateway API references and GAMMA routes. */
export function gatewayReferenceIssues(objects: GatewayObjects): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const gateway of classlessGateways(objects))
    issues.push({
      ...at('Gateway', gateway, 'spec.gatewayClassName'),
      severity: 'warning',
      code: 'REFERENCE_NOT_FOUND',
      message: `GatewayClass "${gateway.className}" does not exist: no controller programs this Gateway, so nothing listens for it and routes attached to it carry no traffic`,
    });
  for (const route of objects.routes) {
    const missing = new Set(missingParents(objects, route));
    route.parentRefs.forEach((ref, i) => {
      const path = `spec.parentRefs[${i}]`;
      const target = `${parentNamespace(route, ref)}/${ref.name}`;
      if (missing.has(ref))
        issues.push({
          ...at('HTTPRoute', route, path),
          severity: 'warning',
          code: 'REFERENCE_NOT_FOUND',
          message: `parent Gateway ${target} does not exist: the route attaches to nothing (status Accepted: False, NoMatchingParent) and routes no request`,
        });
      else if (isServiceParent(ref))
        issues.push({
          ...at('HTTPRoute', route, path),
          severity: 'warning',
          code: 'NOT_SIMULATED',
          message: `parent Service ${target} (GAMMA): a service mesh would route requests to that Service by this route; mesh routing is not simulated, so probes to it go through kube-proxy as if the route did not exist`,
        });
      else if (!isGatewayParent(ref))
        issues.push({
          ...at('HTTPRoute', route, path),
          severity: 'warning',
          code: 'NOT_SIMULATED',
          message: `parent ${ref.kind} ${target} (group "${ref.group}") is not a Gateway or a Service: not simulated`,
        });
    });
  }
  return issues;
}

/**
 * Trace notes for a request on a controller's Gateway port: Gateways that would have listened but
 * have no GatewayClass, and routes for this host whose parent Gateway is missing.
 */
export function danglingReferenceNotes(
  objects: GatewayObjects,
  port: number,
  host: string,
): string[] {
  const notes: string[] = [];
  for (const gateway of classlessGateways(objects))
    if (gateway.listeners.some((l) => l.port === port))
      notes.push(
        `Gateway ${refOf(gateway)} listens on port ${port} but names GatewayClass "${gateway.className}", which does not exist: no controller serves it.`,
      );
  for (const route of objects.routes) {
    if (route.hostnames.length && !route.hostnames.some((h) => gatewayHostMatches(h, host)))
      continue;
    for (const ref of missingParents(objects, route))
      notes.push(
        `HTTPRoute ${refOf(route)} would route ${host} but its parent Gateway ${parentNamespace(route, ref)}/${ref.name} does not exist: it is attached to nothing.`,
      );
  }
  return notes;
}
