import { hop } from '../trace/hop-draft';
import type { ClusterState } from '../model/cluster-state';
import type { Protocol } from '../model/resources';
import type { Packet, ProbeTrace } from '../trace/trace-types';
import { arrivalAt } from './arrival';
import type { ProbeSpec } from '../trace/probe-spec';
import { findPod } from '../trace/source';
import { parseTarget } from '../trace/target';
import { TraceBuilder } from '../trace/trace-builder';

const PREFIX = 'port-forward:';
/** kubectl listens on the workstation's loopback. */
const WORKSTATION_IP = '127.0.0.1';
const API_SERVER_PORT = 6443;
const KUBELET_PORT = 10250;

export function isPortForwardSource(from: string): boolean {
  return from.startsWith(PREFIX);
}

/**
 * `kubectl port-forward ns/pod LOCAL:REMOTE`, then a client on the workstation connects to
 * localhost:LOCAL. The bytes travel inside the HTTPS stream kubectl opened to the API server
 * (`pods/portforward` subresource), which the API server relays to the kubelet of the pod's node;
 * the container runtime dials REMOTE on 127.0.0.1 inside the pod's network namespace. Services,
 * kube-proxy and NetworkPolicy are never involved. `spec.to` names the pod's port (the host part is
 * the workstation's localhost and is ignored).
 */
export function portForwardProbe(state: ClusterState, spec: ProbeSpec): ProbeTrace {
  const protocol: Protocol = spec.protocol ?? 'TCP';
  const request = { from: spec.from, to: spec.to, protocol };
  const trace = new TraceBuilder();
  const found = findPod(state, spec.from.slice(PREFIX.length));
  if (!found.ok)
    return trace.finish(request, {
      verdict: 'unresolved',
      reason: `error: ${found.message}`,
      dropReason: null,
    });
  const pod = found.pod;
  const parsed = parseTarget(spec.to);
  if (!parsed.ok)
    return trace.finish(request, {
      verdict: 'unresolved',
      reason: parsed.message,
      dropReason: null,
    });
  const port = parsed.target.port ?? 80;
  if (protocol !== 'TCP')
    return trace.finish(request, {
      verdict: 'dropped',
      reason: 'kubectl port-forward forwards TCP only',
      dropReason: 'UNSUPPORTED',
    });
  const node = state.nodes.get(pod.nodeName);
  if (!node || !pod.ip)
    return trace.finish(request, {
      verdict: 'unresolved',
      reason: `error: unable to forward port because pod is not running. Current status=${pod.phase}`,
      dropReason: null,
    });
  const apiServer =
    [...state.nodes.values()].find((n) => n.role === 'control-plane' && n.ready) ?? node;
  const podRef = `${pod.namespace}/${pod.name}`;
  const local: Packet = {
    protocol,
    src: { ip: WORKSTATION_IP, port: 50000 },
    dst: { ip: WORKSTATION_IP, port },
  };
  trace.add('request', [
    hop({
      component: 'port-forward',
      observationPoint: 'FROM_NETWORK',
      node: null,
      packet: local,
      description: `a client on the workstation connects to localhost:${port}, where kubectl port-forward listens`,
      details: { step: 'kubectl' },
    }),
    hop({
      component: 'port-forward',
      observationPoint: 'TO_STACK',
      node: apiServer.name,
      packet: {
        protocol: 'TCP',
        src: { ip: state.config.externalClientIP, port: 50001 },
        dst: { ip: apiServer.ip, port: API_SERVER_PORT },
      },
      description: `kubectl carries the bytes in its HTTPS stream to the API server (POST /api/v1/namespaces/${pod.namespace}/pods/${pod.name}/portforward, upgraded to a multiplexed stream)`,
      details: { step: 'api-server', subresource: 'pods/portforward' },
    }),
  ]);
  if (!node.ready)
    return trace.finish(request, {
      verdict: 'dropped',
      reason: `error: unable to upgrade connection: the kubelet on ${node.name} does not answer (node NotReady)`,
      dropReason: 'NODE_NOT_READY',
    });
  trace.add('request', [
    hop({
      component: 'port-forward',
      observationPoint: 'TO_STACK',
      node: node.name,
      packet: {
        protocol: 'TCP',
        src: { ip: apiServer.ip, port: 50002 },
        dst: { ip: node.ip, port: KUBELET_PORT },
      },
      description: `the API server relays the stream to the kubelet on ${node.name} (${node.ip}:${KUBELET_PORT})`,
      details: { step: 'kubelet' },
    }),
  ]);
  const inPod: Packet = {
    protocol,
    src: { ip: '127.0.0.1', port: 50003 },
    dst: { ip: '127.0.0.1', port },
  };
  const where = pod.hostNetwork
    ? `the node's network namespace (hostNetwork pod ${podRef})`
    : `the network namespace of pod ${podRef}`;
  trace.add('request', [
    hop({
      component: 'loopback',
      observationPoint: 'TO_ENDPOINT',
      node: node.name,
      interface: 'lo',
      packet: inPod,
      description: `the container runtime dials 127.0.0.1:${port} inside ${where}: no Service, kube-proxy rule or NetworkPolicy sees this connection`,
      details: { step: 'pod-netns' },
    }),
  ]);
  trace.note(
    "kubectl port-forward bypasses Services and NetworkPolicy: the connection starts inside the pod's own network namespace.",
  );
  const arrival = arrivalAt(
    state,
    pod.hostNetwork ? { kind: 'node', ip: node.ip, node } : { kind: 'pod', ip: pod.ip, pod, node },
    port,
    protocol,
    null,
  );
  trace.note(...arrival.notes);
  if (arrival.verdict !== 'delivered') {
    const reason =
      arrival.verdict === 'refused'
        ? `an error occurred forwarding ${port} -> ${port}: connection refused inside ${podRef} (${arrival.reason})`
        : arrival.reason;
    return trace.finish(request, {
      verdict: arrival.verdict,
      reason,
      dropReason: arrival.dropReason,
    });
  }
  trace.add('reply', [
    hop({
      component: 'port-forward',
      observationPoint: 'FROM_NETWORK',
      node: null,
      packet: { protocol, src: local.dst, dst: local.src },
      description:
        'the answer returns the same way: pod lo → kubelet → API server → kubectl → the local client',
    }),
  ]);
  return trace.finish(request, {
    verdict: 'delivered',
    reason: `${arrival.reason} (through kubectl port-forward)`,
    dropReason: null,
    backend: arrival.backend,
  });
}
