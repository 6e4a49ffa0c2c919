import type { ProbeOutcome } from '../trace/trace-builder';
import { hop } from '../trace/hop-draft';
import { servedIngresses } from './ingress-classes';
import { ingressRef } from './ingress-types';
import { decisionHop, proxyToService, respond, type ProxyContext } from './proxy-response';
import { readIngressObjects } from './read-ingress';
import { routeIngressRequest, type TlsTermination } from './route-ingress';

/**
 * An ingress controller routing a request by its Ingress rules (after no Gateway listener took
 * it): TLS termination, the matching rule, then a response of its own or the upstream connection
 * to the backend Service.
 */
export function ingressLeg(ctx: ProxyContext): ProbeOutcome {
  const { state, profile, request } = ctx;
  const read = readIngressObjects(state.objects);
  const { served, ignored } = servedIngresses(profile, read.ingresses, read.classes);
  for (const { ingress, why } of ignored)
    ctx.trace.note(`${profile.product} ignores Ingress ${ingressRef(ingress)}: ${why}.`);
  const secrets = new Set(
    state.objects
      .filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1')
      .map((o) => `${o.namespace ?? 'default'}/${o.name}`),
  );
  const route = routeIngressRequest(profile, served, request, secrets);
  ctx.trace.note(...(route.notes ?? []));
  if (route.tls) tlsHop(ctx, route.tls);
  const details: Record<string, unknown> = {
    controller: profile.product,
    server: route.server,
    why: route.why,
  };
  if (route.kind === 'backend') {
    details.ingress = ingressRef(route.ingress);
    if (route.location)
      Object.assign(details, {
        host: route.location.host ?? '*',
        path: route.location.path,
        pathType: route.location.pathType,
      });
    else details.defaultBackend = true;
    if (route.rewrittenPath) details.rewrittenPath = route.rewrittenPath;
  } else {
    details.status = route.status;
    if (route.ingress) details.ingress = ingressRef(route.ingress);
  }
  decisionHop(
    ctx,
    `${profile.product} routes "${request.method} ${request.path}" (Host: ${request.host}): ${route.why}`,
    details,
  );
  if (route.kind === 'response') return respond(ctx, route.status, route.why, route.location);
  const service = route.backend.service;
  if (!service) {
    ctx.trace.note(
      'Ingress resource backends (spec.backend.resource) point at non-Service objects such as storage buckets; the engine does not simulate them.',
    );
    return respond(
      ctx,
      503,
      `the backend is a ${route.backend.resource?.kind ?? 'resource'} reference, which ${profile.product} cannot proxy to`,
    );
  }
  // ingress-nginx and HAProxy proxy to ExternalName Services; Traefik refuses them unless
  // allowExternalNameServices is enabled (off by default in its Kubernetes Ingress provider).
  const externalNames =
    profile.name === 'traefik'
      ? {
          refuse:
            'Traefik refuses ExternalName Services unless allowExternalNameServices is enabled (off by default), so the route has no server',
        }
      : 'follow';
  return proxyToService(
    ctx,
    route.ingress.namespace,
    service.name,
    service.port,
    {},
    externalNames,
  );
}

function tlsHop(ctx: ProxyContext, tls: TlsTermination): void {
  const description = `${ctx.profile.product} terminates TLS: ${tls.why}`;
  ctx.trace.add('request', [
    hop({
      component: 'ingress-controller',
      observationPoint: 'TO_PROXY',
      node: ctx.node.name,
      packet: ctx.packet,
      description,
      details: {
        tls: true,
        secret: tls.secret,
        ...(tls.missingSecret ? { missingSecret: tls.missingSecret } : {}),
      },
    }),
  ]);
}
