import type { ProbeOutcome } from '../trace/trace-builder';
import { decisionHop, proxyToService, respond, type ProxyContext } from '../ingress/proxy-response';
import { refOf } from './gateway-types';
import { routeGatewayRequest } from './route-gateway';
import { danglingReferenceNotes } from './gateway-references';
import { readGatewayObjects } from './read-gateway';

/**
 * Gateway API traffic through an ingress controller profile's Gateway implementation: Gateways
 * whose GatewayClass names the profile's controllerName listen on the controller's pods. Null when
 * no such Gateway listens on the port, so Ingress rules apply instead.
 */
export function gatewayLeg(ctx: ProxyContext, listenerPort: number): ProbeOutcome | null {
  ctx.trace.note(
    ...danglingReferenceNotes(
      readGatewayObjects(ctx.state.objects),
      listenerPort,
      ctx.request.host,
    ),
  );
  const route = routeGatewayRequest(
    ctx.state,
    ctx.profile.gatewayController,
    listenerPort,
    ctx.request,
  );
  if (!route) return null;
  ctx.trace.note(
    "Gateway API: the Gateway is served by the installed controller's pods (one data plane per profile); per-Gateway Services and filters (redirects, rewrites, header changes) are not simulated.",
  );
  const details: Record<string, unknown> = {
    controller: ctx.profile.gatewayController,
    why: route.why,
  };
  if (route.gateway) details.gateway = refOf(route.gateway);
  if (route.listener) details.listener = route.listener.name;
  if (route.kind === 'response') {
    details.status = route.status;
    decisionHop(
      ctx,
      `${ctx.profile.product} (Gateway API) routes "${ctx.request.method} ${ctx.request.path}" (Host: ${ctx.request.host}): ${route.why}`,
      details,
    );
    return respond(ctx, route.status, route.why);
  }
  Object.assign(details, {
    httpRoute: refOf(route.route),
    rule: route.ruleIndex,
    backendRef: route.backend.name,
    weight: route.backend.weight,
    probability: route.probability,
  });
  decisionHop(
    ctx,
    `${ctx.profile.product} (Gateway API) routes "${ctx.request.method} ${ctx.request.path}" (Host: ${ctx.request.host}): ${route.why}; backendRef ${route.backend.name} chosen with probability ${route.probability}`,
    details,
  );
  const namespace = route.backend.namespace ?? route.route.namespace;
  if (!ctx.state.services.has(`${namespace}/${route.backend.name}`))
    return respond(
      ctx,
      500,
      `backendRef Service ${namespace}/${route.backend.name} does not exist: the Gateway answers 500 (httproute_types.go BackendRefs)`,
    );
  return proxyToService(
    ctx,
    namespace,
    route.backend.name,
    route.backend.port !== undefined ? { number: route.backend.port } : { number: 80 },
    {},
    {
      refuse: 'Gateway API leaves ExternalName backends to the implementation; not simulated here',
    },
  );
}
