import type { NetworkEndpoint } from '../cni/network-endpoint';
import { gatewayLeg } from '../gateway-api/gateway-leg';
import { controllerProfileOf } from '../ingress/controller-profiles';
import type { HttpRequest } from '../ingress/http-request';
import { ingressLeg } from '../ingress/ingress-leg';
import type { ConnectionCarrier, ProxyContext } from '../ingress/proxy-response';
import type { ClusterState } from '../model/cluster-state';
import type { ProbeOutcome, TraceBuilder } from '../trace/trace-builder';
import type { Packet } from '../trace/trace-types';
import { lookupName } from './dns-lookup';

/**
 * The hook after kube-proxy delivered an HTTP request to an ingress controller pod: TLS
 * termination, the controller's routing decision (Gateway API listeners first, then Ingress
 * rules), and the new upstream connection to the chosen backend pod. Null when the pod is not an
 * ingress controller, so the probe ends at the pod as before.
 */
export function proxyThroughController(
  state: ClusterState,
  trace: TraceBuilder,
  arrived: NetworkEndpoint,
  packet: Packet,
  request: HttpRequest,
  carry: ConnectionCarrier,
): ProbeOutcome | null {
  if (arrived.kind !== 'pod') return null;
  const profile = controllerProfileOf(arrived.pod, state.config.ingressControllers ?? []);
  if (!profile) return null;
  const port = packet.dst.port ?? 0;
  const scheme = port === profile.ports.https ? 'https' : 'http';
  const ctx: ProxyContext = {
    state,
    trace,
    profile,
    pod: arrived.pod,
    node: arrived.node,
    packet,
    request: { ...request, scheme },
    carry,
    resolve: (name) =>
      lookupName(state, { kind: 'pod', pod: arrived.pod, node: arrived.node }, name, 'A'),
  };
  trace.note(...profile.notes);
  const viaGateway = gatewayLeg(ctx, port === profile.ports.https ? 443 : 80);
  if (viaGateway) return viaGateway;
  return ingressLeg(ctx);
}
