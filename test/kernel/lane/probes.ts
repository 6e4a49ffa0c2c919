import { traceProbe, type ClusterState, type ProbeTrace, type Service } from '@netplay/engine';
import {
  categorizeEndpoints,
  externalPolicyLocal,
  internalPolicyLocal,
} from '../../../libs/engine/src/kube-proxy/endpoints';
import { hasProxyRules } from '../../../libs/engine/src/kube-proxy/service-match';
import type { KernelCluster } from './topology';

/** One question asked of both the engine and the kernel. */
export interface Probe {
  name: string;
  /** Engine source: `ns/pod`, `node/NAME` or `external`. */
  from: string;
  ip: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  count: number;
}

/** What the engine claims for a probe. */
export interface EngineClaim {
  verdict: ProbeTrace['verdict'];
  /** `ip:port` of every endpoint the connection may be DNATed to, with the pod behind each. */
  candidates: Map<string, string>;
  /** The endpoint this trace chose and the source address the backend saw there. */
  chosen?: { endpoint: string; seenSource: string };
  affinity: boolean;
  trace: ProbeTrace;
}

const MANY = 30;
const FEW = 6;

/**
 * The Services probed: the scenario's own (every namespace but kube-system) and kube-dns, whose
 * DNS port is the UDP case every cluster has; the API server's Service only where the scenario has
 * nothing of its own.
 */
function servicesWithRules(state: ClusterState): Service[] {
  const all = [...state.services.values()].filter(
    (s) => hasProxyRules(s) && s.clusterIP && s.clusterIP !== 'None',
  );
  const own = all.filter(
    (s) => s.namespace !== 'kube-system' && !(s.namespace === 'default' && s.name === 'kubernetes'),
  );
  const dns = all.filter((s) => s.namespace === 'kube-system' && s.name === 'kube-dns');
  return own.length ? [...own, ...dns] : all;
}

/** kube-dns: only its DNS port over UDP is probed. */
function probedPorts(service: Service): Service['ports'] {
  return service.namespace === 'kube-system' && service.name === 'kube-dns'
    ? service.ports.filter((p) => p.protocol === 'UDP')
    : service.ports;
}

function serviceEndpointPods(state: ClusterState, service: Service): string[] {
  const pods = new Set<string>();
  for (const port of service.ports)
    for (const node of state.nodes.values())
      for (const ep of categorizeEndpoints(state, service, port, node).cluster)
        if (ep.pod) pods.add(`${ep.pod.namespace}/${ep.pod.name}`);
  return [...pods];
}

/**
 * The probes of one cluster: every Service port from a client pod, from that pod's node, from a
 * pod behind the Service (hairpin), every NodePort from outside on every node, and one undeclared
 * port of each ClusterIP. `clients` are the pods that run no server (the scenario's clients).
 */
export function probesFor(cluster: KernelCluster, client: string): Probe[] {
  const { state } = cluster;
  const clientPod = [...state.pods.values()].find((p) => `${p.namespace}/${p.name}` === client);
  const probes: Probe[] = [];
  for (const service of servicesWithRules(state)) {
    const svc = `${service.namespace}/${service.name}`;
    const endpointPods = serviceEndpointPods(state, service);
    for (const port of probedPorts(service)) {
      if (port.protocol !== 'TCP' && port.protocol !== 'UDP') continue;
      const base = { ip: service.clusterIP, port: port.port, protocol: port.protocol };
      const count = endpointPods.length > 1 ? MANY : FEW;
      probes.push({
        name: `${client} → ${svc}:${port.port}/${port.protocol}`,
        from: client,
        count,
        ...base,
      });
      if (clientPod?.nodeName)
        probes.push({
          name: `node ${clientPod.nodeName} → ${svc}:${port.port}/${port.protocol}`,
          from: `node/${clientPod.nodeName}`,
          count: FEW,
          ...base,
        });
      if (endpointPods[0])
        probes.push({
          name: `hairpin ${endpointPods[0]} → ${svc}:${port.port}/${port.protocol}`,
          from: endpointPods[0],
          count,
          ...base,
        });
      if (port.nodePort)
        for (const node of state.nodes.values())
          probes.push({
            name: `external → ${node.name}:${port.nodePort}/${port.protocol} (${svc}, eTP ${service.externalTrafficPolicy})`,
            from: 'external',
            ip: node.ip,
            port: port.nodePort,
            protocol: port.protocol,
            count,
          });
    }
    const used = new Set(service.ports.map((p) => p.port));
    let undeclared = 81;
    while (used.has(undeclared)) undeclared++;
    probes.push({
      name: `${client} → ${svc}:${undeclared}/TCP (no such Service port)`,
      from: client,
      ip: service.clusterIP,
      port: undeclared,
      protocol: 'TCP',
      count: 2,
    });
  }
  return probes;
}

/** Asks the engine, and reads from its trace and its endpoint selection what the kernel must show. */
export function engineClaim(state: ClusterState, probe: Probe): EngineClaim {
  const trace = traceProbe(state, {
    from: probe.from,
    to: `${probe.ip}:${probe.port}`,
    protocol: probe.protocol,
  });
  const proxyHop = trace.hops.find((h) => h.component === 'kube-proxy' && h.details?.dnatTo);
  const candidates = new Map<string, string>();
  let affinity = false;
  if (proxyHop) {
    const [ns, name] = String(proxyHop.details?.service).split('/');
    const service = [...state.services.values()].find((s) => s.namespace === ns && s.name === name);
    const port = service?.ports.find((p) =>
      proxyHop.details?.vip === 'NodePort' ? p.nodePort === probe.port : p.port === probe.port,
    );
    const node = state.nodes.get(proxyHop.node ?? '');
    if (service && port && node) {
      affinity = service.sessionAffinity === 'ClientIP';
      const cat = categorizeEndpoints(state, service, port, node);
      const local =
        proxyHop.details?.vip === 'ClusterIP'
          ? internalPolicyLocal(service)
          : externalPolicyLocal(service, port) && probe.from === 'external';
      for (const ep of local ? cat.local : cat.cluster)
        candidates.set(ep.key, ep.pod ? `${ep.pod.namespace}/${ep.pod.name}` : ep.key);
    }
  }
  const arrival = [...trace.hops].reverse().find((h) => h.direction === 'request');
  const chosen =
    trace.verdict === 'delivered' && proxyHop && arrival
      ? { endpoint: String(proxyHop.details?.dnatTo), seenSource: arrival.packet.src.ip }
      : undefined;
  return { verdict: trace.verdict, candidates, chosen, affinity, trace };
}
