import { type HopDraft, hop } from '../trace/hop-draft';
import { cidrOf } from '../cni/cidr-cache';
import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { Node, Service } from '../model/resources';
import type { DropReason, Packet } from '../trace/trace-types';
import { cidrContains } from '../util/ip';
import { drawInt } from '../util/rng';
import {
  announcementFor,
  ecmpChoice,
  excludedFromLoadBalancers,
  nodesWithReadyEndpoints,
} from '../load-balancer/announcement';
import { CLOUD_ADDRESS_ANNOTATION } from '../load-balancer/assign-load-balancers';
import { loadBalancerConfig, PROVIDER_NAMES } from '../load-balancer/providers';

const CLOUD_NOTE =
  "The cloud load balancer is a generic profile: it keeps the client address, picks targets from the cluster's seed, and restores its own address on the reply (not shown hop by hop).";

export type ExternalEntry =
  | { ok: true; node: Node; packet: Packet; hops: HopDraft[]; notes: string[] }
  | { ok: false; dropReason: DropReason; reason: string; hops: HopDraft[]; notes: string[] };

/**
 * How a packet from outside reaches a node: directly at a node address; for a LoadBalancer address
 * through the node that answers ARP (L2) or a BGP next hop (ECMP), or through the cloud's load
 * balancer, which forwards to a node's NodePort (instance targets) or straight to a pod (IP targets).
 */
export function externalEntry(state: ClusterState, packet: Packet): ExternalEntry {
  const ip = packet.dst.ip;
  const index = clusterIndex(state);
  const node = index.nodesByIP.get(ip);
  if (node) return { ok: true, node, packet, hops: [], notes: [] };
  const lb = loadBalancerConfig(state);
  const cloudService = lb.provider === 'cloud' ? cloudServiceFor(state, ip) : undefined;
  if (cloudService) return viaCloud(state, cloudService, packet);
  const services = index.servicesByExternalIP.get(ip) ?? [];
  const lbService = services.find(
    (s) => s.loadBalancerIngress.some((i) => i.ip === ip) && !s.externalIPs.includes(ip),
  );
  if (lbService && lb.provider !== 'none') return viaAnnouncement(state, lbService, packet);
  if (services.length) {
    const ready = [...state.nodes.values()].find((n) => n.ready);
    if (!ready) return fail('NODE_NOT_READY', `no node is Ready to receive traffic for ${ip}`);
    const what = lbService
      ? 'a LoadBalancer address written in the Service status (no load-balancer implementation is configured)'
      : 'an externalIP';
    return {
      ok: true,
      node: ready,
      packet,
      hops: [],
      notes: [
        `${ip} is ${what}: the engine routes it to ${ready.name}, the first Ready node, as an upstream router configured for it would.`,
      ],
    };
  }
  const serviceCIDR = cidrOf(state.config.serviceCIDR);
  const podCIDR = cidrOf(state.config.podCIDR);
  if ((serviceCIDR && cidrContains(serviceCIDR, ip)) || (podCIDR && cidrContains(podCIDR, ip))) {
    return fail(
      'NO_ROUTE',
      `the external client has no route to ${ip}: ClusterIPs and pod IPs are reachable only inside the cluster`,
    );
  }
  return fail(
    'NO_ROUTE',
    `${ip} is not an address of this cluster (no node, externalIP or LoadBalancer IP has it)`,
  );
}

function fail(
  dropReason: DropReason,
  reason: string,
  hops: HopDraft[] = [],
  notes: string[] = [],
): ExternalEntry {
  return { ok: false, dropReason, reason, hops, notes };
}

function viaAnnouncement(state: ClusterState, svc: Service, packet: Packet): ExternalEntry {
  const ip = packet.dst.ip;
  const provider = PROVIDER_NAMES[loadBalancerConfig(state).provider];
  const announcement = announcementFor(state, svc, ip);
  const name = `${svc.namespace}/${svc.name}`;
  if (announcement.mode === 'none') {
    const hops = [
      hop({
        component: 'load-balancer',
        observationPoint: 'FROM_NETWORK',
        node: null,
        packet,
        description: `${provider}: nobody announces ${ip} (Service ${name}): ${announcement.reason}`,
        details: { provider, service: name, mode: 'none' },
      }),
    ];
    return fail('NO_ROUTE', `no route to ${ip}: ${announcement.reason}`, hops, announcement.notes);
  }
  if (announcement.mode === 'L2') {
    const node = announcement.announcer as Node;
    const description = `ARP "who has ${ip}?" on the node network is answered by ${node.name} (${node.ip}), whose ${provider} speaker announces the address of Service ${name}; all traffic for ${ip} goes to that node`;
    const hops = [
      hop({
        component: 'load-balancer',
        observationPoint: 'FROM_NETWORK',
        node: node.name,
        packet,
        description,
        details: {
          provider,
          service: name,
          mode: 'L2',
          announcer: node.name,
          candidates: announcement.candidates,
        },
      }),
    ];
    return {
      ok: true,
      node,
      packet,
      hops,
      notes: [
        ...announcement.notes,
        'Layer 2 mode is failover, not load balancing: one node receives every connection for the address; kube-proxy there spreads them.',
      ],
    };
  }
  const node = ecmpChoice(state, announcement.speakers);
  const nextHops = announcement.speakers.map((n) => `${n.name} (${n.ip})`);
  const description = `the upstream router holds BGP routes for ${ip}/32 from ${nextHops.join(', ')}; its ECMP hash sends this flow to ${node.name}`;
  const hops = [
    hop({
      component: 'load-balancer',
      observationPoint: 'FROM_NETWORK',
      node: null,
      packet,
      description,
      details: {
        provider,
        service: name,
        mode: 'BGP',
        nextHops: announcement.speakers.map((n) => n.name),
        chosen: node.name,
      },
    }),
  ];
  return {
    ok: true,
    node,
    packet,
    hops,
    notes: [
      ...announcement.notes,
      "The router's ECMP hash is not modelled: the next hop is drawn from the cluster's seed.",
    ],
  };
}

function cloudServiceFor(state: ClusterState, ip: string): Service | undefined {
  for (const svc of state.services.values()) {
    if (svc.type !== 'LoadBalancer') continue;
    if (
      svc.loadBalancerIngress.some((i) => i.ip === ip) ||
      svc.annotations[CLOUD_ADDRESS_ANNOTATION] === ip
    )
      return svc;
  }
  return undefined;
}

function viaCloud(state: ClusterState, svc: Service, packet: Packet): ExternalEntry {
  const lb = loadBalancerConfig(state);
  const name = `${svc.namespace}/${svc.name}`;
  const port = svc.ports.find((p) => p.port === packet.dst.port && p.protocol === packet.protocol);
  if (!port)
    return fail(
      'PORT_UNREACHABLE',
      `the cloud load balancer of ${name} has no listener on port ${packet.dst.port}`,
    );
  if (lb.cloudTargets === 'ip') {
    const targets = readyPodTargets(state, svc, port.name, port.port);
    if (!targets.length)
      return fail('NO_ENDPOINTS', `the cloud load balancer of ${name} has no healthy pod targets`);
    const target = targets[drawInt(state, targets.length)];
    const out: Packet = { ...packet, dst: { ip: target.ip, port: target.port } };
    const targetNode = state.nodes.get(target.node);
    if (!targetNode) return fail('NO_ROUTE', `pod target ${target.ip} is on no node`);
    const description = `the cloud load balancer for Service ${name} forwards to pod target ${target.ip}:${target.port} directly (IP targets: the VPC routes pod addresses), bypassing NodePorts and kube-proxy`;
    return {
      ok: true,
      node: targetNode,
      packet: out,
      hops: [
        lbHop(packet, out, description, {
          service: name,
          targets: 'ip',
          target: `${target.ip}:${target.port}`,
        }),
      ],
      notes: [CLOUD_NOTE],
    };
  }
  if (!port.nodePort)
    return fail(
      'NO_ROUTE',
      svc.allocateLoadBalancerNodePorts === false
        ? `Service ${name} sets allocateLoadBalancerNodePorts: false, so port ${port.port} has no NodePort for the cloud load balancer's instance targets`
        : `Service ${name} has no nodePort for the cloud load balancer to target`,
    );
  const healthy = healthyNodes(state, svc);
  if (!healthy.length)
    return fail(
      'NO_ENDPOINTS',
      `every node fails the cloud load balancer's health check for ${name}`,
    );
  const node = healthy[drawInt(state, healthy.length)];
  const out: Packet = { ...packet, dst: { ip: node.ip, port: port.nodePort } };
  const check =
    svc.externalTrafficPolicy === 'Local'
      ? ` (only nodes answering 200 on healthCheckNodePort ${svc.healthCheckNodePort ?? '?'} are healthy)`
      : '';
  const description = `the cloud load balancer for Service ${name} forwards to instance target ${node.name} at ${node.ip}:${port.nodePort}, the NodePort${check}`;
  return {
    ok: true,
    node,
    packet: out,
    hops: [
      lbHop(packet, out, description, {
        service: name,
        targets: 'instance',
        target: node.name,
        healthy: healthy.map((n) => n.name),
      }),
    ],
    notes: [CLOUD_NOTE],
  };
}

function lbHop(
  before: Packet,
  after: Packet,
  description: string,
  details: Record<string, unknown>,
): HopDraft {
  return hop({
    component: 'load-balancer',
    observationPoint: 'TO_NETWORK',
    node: null,
    packet: after,
    description,
    details: { provider: 'cloud', from: `${before.dst.ip}:${before.dst.port}`, ...details },
  });
}

/** eTP Cluster: every Ready node passes; eTP Local: the LB's health check on healthCheckNodePort passes only where a ready endpoint runs. */
export function healthyNodes(state: ClusterState, svc: Service): Node[] {
  const ready = [...state.nodes.values()].filter((n) => n.ready && !excludedFromLoadBalancers(n));
  if (svc.externalTrafficPolicy !== 'Local') return ready;
  const local = nodesWithReadyEndpoints(state, svc);
  return ready.filter((n) => local.has(n.name));
}

function readyPodTargets(
  state: ClusterState,
  svc: Service,
  portName: string | undefined,
  servicePort: number,
): { ip: string; port: number; node: string }[] {
  const out: { ip: string; port: number; node: string }[] = [];
  for (const slice of clusterIndex(state).slicesByService.get(`${svc.namespace}/${svc.name}`) ??
    []) {
    const port =
      slice.ports.find((p) => (p.name ?? '') === (portName ?? '')) ??
      (slice.ports.length === 1 ? slice.ports[0] : undefined);
    if (!port) continue;
    for (const ep of slice.endpoints)
      if (ep.conditions.ready && ep.nodeName)
        out.push({ ip: ep.addresses[0], port: port.port ?? servicePort, node: ep.nodeName });
  }
  return out;
}
