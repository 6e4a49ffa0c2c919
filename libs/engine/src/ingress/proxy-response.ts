import { hop } from '../trace/hop-draft';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import type { Backend, HttpResult, Packet } from '../trace/trace-types';
import { ephemeralPort } from '../trace/ephemeral-port';
import type { ProbeSource } from '../trace/source';
import type { ProbeOutcome, TraceBuilder, TraceStep } from '../trace/trace-builder';
import type { ControllerProfile } from './controller-profiles';
import type { HttpRequest } from './http-request';
import { chooseUpstream, type UpstreamChoice } from './upstream-endpoints';
import { isIPv4 } from '../util/ip';

/** Carries a new connection through the cluster: the probe's own path logic, handed in because probe/ sits above ingress/. */
export type ConnectionCarrier = (source: ProbeSource, packet: Packet) => ProbeOutcome;

/** A name looked up as the proxy pod's resolver does it (the probe's DNS lookup, handed in for the same reason). */
export type NameResolver = (name: string) => TraceStep & {
  addresses: string[];
  failure?: { reason: string };
};

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  302: 'Found',
  308: 'Permanent Redirect',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function httpResult(status: number, servedBy: string, location?: string): HttpResult {
  return {
    status,
    statusText: STATUS_TEXT[status] ?? '',
    servedBy,
    ...(location ? { location } : {}),
  };
}

/** What the proxy pod is: where its hops run and what it answers as. */
export interface ProxyContext {
  state: ClusterState;
  trace: TraceBuilder;
  profile: ControllerProfile;
  pod: Pod;
  node: Node;
  /** The client's request packet as it reached the proxy pod. */
  packet: Packet;
  request: HttpRequest;
  carry: ConnectionCarrier;
  resolve: NameResolver;
}

export function decisionHop(
  ctx: ProxyContext,
  description: string,
  details: Record<string, unknown>,
): void {
  ctx.trace.add('request', [
    hop({
      component: 'ingress-controller',
      observationPoint: 'TO_PROXY',
      node: ctx.node.name,
      packet: ctx.packet,
      description,
      details,
    }),
  ]);
}

/** The proxy answers by itself (404, 503, a redirect): the client's connection is delivered, the HTTP status says what happened. */
export function respond(
  ctx: ProxyContext,
  status: number,
  why: string,
  location?: string,
): ProbeOutcome {
  const backend: Backend = {
    namespace: ctx.pod.namespace,
    pod: ctx.pod.name,
    ip: ctx.pod.ip,
    port: ctx.packet.dst.port ?? 0,
    node: ctx.node.name,
    service: null,
  };
  const where = location ? ` (Location: ${location})` : '';
  return {
    verdict: 'delivered',
    reason: `${ctx.profile.product} answered ${status} ${STATUS_TEXT[status] ?? ''}${where}: ${why}`,
    dropReason: null,
    backend,
    http: httpResult(status, `${ctx.pod.namespace}/${ctx.pod.name}`, location),
  };
}

/**
 * The upstream leg: a new TCP connection from the controller pod to an endpoint IP of the backend
 * Service (not its ClusterIP). A refused upstream becomes 502, a silent one 504, as nginx reports.
 */
export function proxyToService(
  ctx: ProxyContext,
  namespace: string,
  serviceName: string,
  port: { number?: number; name?: string },
  extra: Record<string, unknown> = {},
  /** How this proxy treats an ExternalName Service: follow the name, or refuse it and why. */
  externalNames: 'follow' | { refuse: string } = 'follow',
): ProbeOutcome {
  const choice = chooseUpstream(ctx.state, namespace, serviceName, port, ctx.node);
  if (choice.ok === 'external-name')
    return externalNames === 'follow'
      ? proxyToExternalName(ctx, choice)
      : respond(
          ctx,
          503,
          `Service ${namespace}/${serviceName} is ExternalName: ${externalNames.refuse}`,
        );
  if (!choice.ok) return respond(ctx, choice.status, choice.why);
  const { endpoint } = choice;
  const upstream = openUpstream(
    ctx,
    endpoint.ip,
    endpoint.port,
    `${ctx.profile.product} opens a new connection to endpoint ${endpoint.key} of Service ${namespace}/${serviceName} (the pod IP directly, not the ClusterIP ${choice.service.clusterIP}: kube-proxy is not on this leg)`,
    {
      service: `${namespace}/${serviceName}`,
      servicePort: choice.port.port,
      endpoint: endpoint.key,
      probability: choice.probability,
      candidates: choice.candidates.map((c) => c.key),
      ...extra,
    },
  );
  return upstreamOutcome(ctx, upstream, endpoint.key, serviceName);
}

/** The proxy's new TCP connection to `ip:port`, from its own pod address, as a FROM_PROXY hop. */
function openUpstream(
  ctx: ProxyContext,
  ip: string,
  port: number,
  description: string,
  details: Record<string, unknown>,
): Packet {
  const upstream: Packet = {
    protocol: 'TCP',
    src: { ip: ctx.pod.ip, port: ephemeralPort(ctx.state) },
    dst: { ip, port },
  };
  ctx.trace.add('request', [
    hop({
      component: 'ingress-controller',
      observationPoint: 'FROM_PROXY',
      node: ctx.node.name,
      packet: upstream,
      description,
      details,
    }),
  ]);
  return upstream;
}

/** The upstream connection carried through the cluster, as the client sees its outcome. */
function upstreamOutcome(
  ctx: ProxyContext,
  upstream: Packet,
  target: string,
  serviceName: string,
): ProbeOutcome {
  const result = ctx.carry({ kind: 'pod', pod: ctx.pod, node: ctx.node }, upstream);
  const servedBy = `${ctx.pod.namespace}/${ctx.pod.name}`;
  if (result.verdict === 'delivered') {
    const backend = result.backend ? { ...result.backend, service: serviceName } : null;
    return {
      ...result,
      backend,
      reason: `${ctx.profile.product} proxied the request to ${target}: ${result.reason}`,
      http: httpResult(200, backend ? `${backend.namespace}/${backend.pod}` : servedBy),
    };
  }
  const status = result.verdict === 'refused' ? 502 : 504;
  return {
    verdict: 'delivered',
    reason: `${ctx.profile.product} answered ${status} ${STATUS_TEXT[status]}: the upstream connection to ${target} failed (${result.reason})`,
    dropReason: null,
    backend: null,
    http: httpResult(status, servedBy),
  };
}

/**
 * An ExternalName backend: the controller resolves the externalName with the cluster DNS (its
 * pod's resolver, as an absolute name) and opens a connection to the answer on the target port,
 * whether it is outside the cluster or another Service's ClusterIP.
 */
function proxyToExternalName(
  ctx: ProxyContext,
  choice: Extract<UpstreamChoice, { ok: 'external-name' }>,
): ProbeOutcome {
  const ref = `${choice.service.namespace}/${choice.service.name}`;
  let ip = choice.name;
  if (!isIPv4(ip)) {
    const lookup = ctx.resolve(`${choice.name}.`);
    ctx.trace.absorb(lookup);
    if (lookup.failure || !lookup.addresses.length)
      return respond(
        ctx,
        503,
        `Service ${ref} is ExternalName ${choice.name}, which does not resolve (${lookup.failure?.reason ?? 'no address'}): the upstream has no server`,
      );
    ip = lookup.addresses[0];
  }
  const target = `${choice.name}:${choice.port}`;
  const upstream = openUpstream(
    ctx,
    ip,
    choice.port,
    `${ctx.profile.product} opens a new connection to ${target} (${ip}), the externalName of Service ${ref}: an ExternalName backend is proxied to whatever the name resolves to`,
    { service: ref, externalName: choice.name, endpoint: `${ip}:${choice.port}` },
  );
  return upstreamOutcome(ctx, upstream, target, choice.service.name);
}
