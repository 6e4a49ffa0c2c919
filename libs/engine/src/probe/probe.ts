import { type HopDraft, hop } from '../trace/hop-draft';
import { type NetworkEndpoint, endpointForIP } from '../cni/network-endpoint';
import { type ConntrackEntry, arriveFromExternal, forwardFromNode } from '../cni/pod-network-path';
import { leavePod } from '../cni/pod-interfaces';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import type { DnsQueryRecord, Packet, ProbeTrace } from '../trace/trace-types';
import type { HttpRequest } from '../ingress/http-request';
import { httpRequestFor } from '../ingress/probe-request';
import { proxyThroughController } from './proxy-step';
import { egressGate, ingressGate } from '../policy/policy-hop';
import { arrivalAt } from './arrival';
import { lookupName } from './dns-lookup';
import { ephemeralPort } from '../trace/ephemeral-port';
import { serviceStep } from './kube-proxy-step';
import type { ProbeSpec } from '../trace/probe-spec';
import { replyPath } from './reply-path';
import { type ProbeSource, resolveSource } from '../trace/source';
import { type ProbeTarget, parseTarget } from '../trace/target';
import { type ProbeOutcome, TraceBuilder } from '../trace/trace-builder';
import { externalEntry } from '../external/entry';
import { nodeLocalStep } from '../external/node-local-step';
import { isPortForwardSource, portForwardProbe } from './port-forward';
import { markUnsimulated } from '../unsimulated/mark-trace';

/**
 * What happens when `spec.from` connects to `spec.to`: the DNS lookup, kube-proxy's DNAT, the CNI
 * path to the endpoint, whether something listens there, and the reply back through conntrack.
 * Advances the cluster's random stream (ephemeral ports, endpoint choice), so the same state and
 * the same sequence of probes give identical traces.
 */
export function traceProbe(state: ClusterState, spec: ProbeSpec): ProbeTrace {
  const trace = isPortForwardSource(spec.from)
    ? portForwardProbe(state, spec)
    : probeInCluster(state, spec);
  markUnsimulated(state, trace);
  return trace;
}

function probeInCluster(state: ClusterState, spec: ProbeSpec): ProbeTrace {
  const request: ProbeTrace['request'] = {
    from: spec.from,
    to: spec.to,
    protocol: spec.protocol ?? 'TCP',
  };
  const trace = new TraceBuilder();
  const resolved = resolveSource(state, spec.from);
  if (!resolved.ok)
    return trace.finish(request, {
      verdict: 'unresolved',
      reason: resolved.message,
      dropReason: null,
    });
  const parsed = parseTarget(spec.to);
  if (!parsed.ok)
    return trace.finish(request, {
      verdict: 'unresolved',
      reason: parsed.message,
      dropReason: null,
    });
  const { target } = parsed;
  const source = resolved.source;
  if (source.kind !== 'external' && !source.node.ready) {
    return trace.finish(request, {
      verdict: 'dropped',
      reason: `the source runs on node ${source.node.name}, which is NotReady`,
      dropReason: 'NODE_NOT_READY',
    });
  }
  if (target.scheme === 'https')
    trace.note(
      'TLS is not simulated outside ingress controllers: an https probe to anything else checks that the TCP connection reaches a listener.',
    );

  let dstIP = target.host;
  let dns: DnsQueryRecord[] = [];
  if (target.host === 'localhost') {
    dstIP = '127.0.0.1';
  } else if (!target.isIP) {
    const lookup = lookupName(state, source, target.host, 'A');
    dns = lookup.queries;
    trace.absorb(lookup);
    if (lookup.failure) {
      const reason = target.scheme ? `wget: ${lookup.failure.reason}` : lookup.failure.reason;
      // A query dropped by a policy is never answered: the client waits for the resolver's timeout.
      const verdict = lookup.failure.dropReason === 'POLICY_DENIED' ? 'timeout' : 'unresolved';
      return trace.finish(request, { verdict, reason, dropReason: lookup.failure.dropReason }, dns);
    }
    dstIP = lookup.addresses[0];
  }

  const packet: Packet = {
    protocol: request.protocol,
    src: { ip: sourceIP(source), port: ephemeralPort(state) },
    dst: { ip: dstIP, port: target.port },
  };
  trace.add('request', [
    applicationHop(source, spec.host ? { ...target, host: spec.host } : target, packet),
  ]);
  return trace.finish(
    request,
    carry(state, trace, source, packet, httpRequestFor(spec, target)),
    dns,
  );
}

function sourceIP(source: ProbeSource): string {
  if (source.kind === 'external') return source.ip;
  if (source.kind === 'pod' && !source.pod.hostNetwork) return source.pod.ip;
  return source.node.ip;
}

function applicationHop(source: ProbeSource, target: ProbeTarget, packet: Packet): HopDraft {
  const client =
    source.kind === 'pod'
      ? `pod ${source.pod.namespace}/${source.pod.name}`
      : source.kind === 'node'
        ? `node ${source.node.name}`
        : `the external client ${source.ip}`;
  const dst = `${packet.dst.ip}:${packet.dst.port}`;
  const requestLine = target.scheme ? `GET ${target.path} HTTP/1.1` : undefined;
  const what = requestLine
    ? `opens a ${packet.protocol} connection to ${dst} to send "${requestLine}" (Host: ${target.host})`
    : `opens a ${packet.protocol} connection to ${dst}`;
  return hop({
    component: 'application',
    observationPoint:
      source.kind === 'external'
        ? 'FROM_NETWORK'
        : source.kind === 'pod' && !source.pod.hostNetwork
          ? 'FROM_ENDPOINT'
          : 'FROM_HOST',
    node: source.kind === 'external' ? null : source.node.name,
    packet,
    description: `${client} ${what}`,
    details: requestLine ? { requestLine, host: target.host } : undefined,
  });
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.');
}

/** From the source's network stack to the destination and back. */
function carry(
  state: ClusterState,
  trace: TraceBuilder,
  source: ProbeSource,
  packet: Packet,
  request?: HttpRequest,
): ProbeOutcome {
  const conntrack: ConntrackEntry[] = [];
  let node: Node;
  let origin: 'pod' | 'node' | 'external';
  let sourcePod: Pod | undefined;
  if (source.kind === 'pod' && !source.pod.hostNetwork) {
    if (packet.dst.ip === source.pod.ip || isLoopback(packet.dst.ip))
      return selfDelivery(state, trace, source.pod, source.node, packet);
    trace.add('request', leavePod(state, source.pod, source.node, packet, trace.notes));
    node = source.node;
    origin = 'pod';
    sourcePod = source.pod;
  } else if (source.kind === 'external') {
    const entry = externalEntry(state, packet);
    trace.absorb(entry);
    if (!entry.ok)
      return { verdict: 'dropped', reason: entry.reason, dropReason: entry.dropReason };
    packet = entry.packet;
    if (!entry.node.ready)
      return {
        verdict: 'dropped',
        reason: `node ${entry.node.name} (${entry.node.ip}) is NotReady: nothing answers`,
        dropReason: 'NODE_NOT_READY',
      };
    trace.add('request', arriveFromExternal(state, entry.node, packet));
    node = entry.node;
    origin = 'external';
  } else {
    node = source.node;
    origin = 'node';
  }

  let current = packet;
  let natOriginal: Packet | null = null;
  let masquerade = false;
  let service: string | null = null;
  const step = serviceStep(state, node, packet, origin, sourcePod);
  if (step.kind === 'blocked') {
    trace.add('request', [step.hop]);
    trace.note(...step.notes);
    return { verdict: step.verdict, reason: step.reason, dropReason: step.dropReason };
  }
  const local = step.kind === 'none' ? nodeLocalStep(state, node, packet) : null;
  if (local) trace.add('request', local.hops);
  if (local?.kind === 'final') return local.outcome;
  if (local?.kind === 'dnat') {
    if (local.legNat) conntrack.push({ node: node.name, ...local.legNat });
    [natOriginal, current, node] = [local.before, local.packet, local.node];
  }
  if (step.kind === 'dnat') {
    trace.note(...step.notes);
    if (state.config.cni.plugin === 'cilium')
      trace.note(
        "Cilium is modelled next to kube-proxy (kubeProxyReplacement off): Service translation happens in kube-proxy's rules, not in Cilium's BPF load balancer.",
      );
    const handler = state.nodes.get(step.handledOn);
    if (handler && handler.name !== node.name) {
      // A NodePort on another node's address: the packet first travels there, kube-proxy on that node translates it.
      const leg = forwardFromNode(
        state,
        node,
        { kind: 'node', ip: packet.dst.ip, node: handler },
        packet,
      );
      trace.absorb(leg);
      if (leg.outcome.kind === 'dropped')
        return {
          verdict: 'dropped',
          reason: leg.outcome.reason,
          dropReason: leg.outcome.dropReason,
        };
      if (leg.snatIP) conntrack.push({ node: node.name, original: packet, translated: leg.packet });
      current = leg.packet;
      node = handler;
    }
    trace.add('request', [{ ...step.hop, packet: { ...current, dst: { ...step.packet.dst } } }]);
    natOriginal = current;
    current = { ...current, dst: { ...step.packet.dst } };
    masquerade = step.masquerade;
    service = step.service.name;
  }

  const target = endpointForIP(state, current.dst.ip);
  const egress = egressGate(state, sourcePod, target, current);
  trace.absorb(egress);
  if (egress.denied) return egress.denied;
  const path = forwardFromNode(state, node, target, current, { kubeProxyMasquerade: masquerade });
  const ingress = ingressGate(state, target, path);
  trace.add('request', ingress.hops);
  trace.note(...path.notes, ...ingress.notes);
  if (path.outcome.kind === 'dropped')
    return { verdict: 'dropped', reason: path.outcome.reason, dropReason: path.outcome.dropReason };
  if (ingress.denied) return ingress.denied;
  if (natOriginal || path.snatIP)
    conntrack.push({ node: node.name, original: natOriginal ?? current, translated: path.packet });

  const arrival = arrivalAt(
    state,
    target,
    current.dst.port ?? 0,
    packet.protocol === 'ICMP' ? 'TCP' : packet.protocol,
    service,
  );
  trace.note(...arrival.notes);
  if (arrival.verdict !== 'delivered')
    return { verdict: arrival.verdict, reason: arrival.reason, dropReason: arrival.dropReason };
  // An ingress controller pod proxies the request on: its upstream leg comes before its reply to the client.
  const proxied = request
    ? proxyThroughController(state, trace, target, path.packet, request, (from, upstream) =>
        carry(state, trace, from, upstream),
      )
    : null;
  trace.add('reply', replyPath(state, target, node, path.packet, conntrack, trace.notes));
  if (proxied) return proxied;
  return {
    verdict: 'delivered',
    reason: arrival.reason,
    dropReason: null,
    backend: arrival.backend,
  };
}

/** A pod talking to its own address or to localhost: the loopback device, never the veth. */
function selfDelivery(
  state: ClusterState,
  trace: TraceBuilder,
  pod: Pod,
  node: Node,
  packet: Packet,
): ProbeOutcome {
  const description = `the destination is the pod itself: the kernel's local table sends it over lo; all containers of pod ${pod.namespace}/${pod.name} share this network namespace`;
  trace.add('request', [
    hop({
      component: 'loopback',
      observationPoint: 'TO_ENDPOINT',
      node: node.name,
      interface: 'lo',
      packet,
      description,
    }),
  ]);
  const self: NetworkEndpoint = { kind: 'pod', ip: pod.ip, pod, node };
  const arrival = arrivalAt(
    state,
    self,
    packet.dst.port ?? 0,
    packet.protocol === 'ICMP' ? 'TCP' : packet.protocol,
    null,
  );
  trace.note(...arrival.notes);
  if (arrival.verdict !== 'delivered')
    return { verdict: arrival.verdict, reason: arrival.reason, dropReason: arrival.dropReason };
  const reply: Packet = {
    protocol: packet.protocol,
    src: { ...packet.dst },
    dst: { ...packet.src },
  };
  trace.add('reply', [
    hop({
      component: 'loopback',
      observationPoint: 'TO_ENDPOINT',
      node: node.name,
      interface: 'lo',
      packet: reply,
      description: 'the answer comes back over lo',
    }),
  ]);
  return {
    verdict: 'delivered',
    reason: arrival.reason,
    dropReason: null,
    backend: arrival.backend,
  };
}
