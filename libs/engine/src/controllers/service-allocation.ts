import type { ClusterState } from '../model/cluster-state';
import type { IssueCode } from '../model/issues';
import type { Service } from '../model/resources';
import { cidrContains, intToIp, ipToInt, isIPv4, parseCidr, type Cidr } from '../util/ip';
import type { RandomSource } from '../util/rng';
import { allocateNext, staticBandSize, type BandAllocator } from './band-allocator';

/** ClusterIP and NodePort bookkeeping of the simulated API server, rebuilt from the services it holds. */
export interface ServiceAllocations {
  serviceCidr: Cidr | null;
  serviceCidrText: string;
  clusterIPs: BandAllocator;
  nodePortFrom: number;
  nodePortTo: number;
  nodePorts: BandAllocator;
  /** Offsets a cluster dump fixes for a Service not applied yet → that Service (`namespace/name`). */
  reservedIPs: Map<number, string>;
  reservedPorts: Map<number, string>;
  /** Which Service holds a taken offset, so a refusal can name it. */
  ipHolders: Map<number, string>;
  portHolders: Map<number, string>;
}

export interface AllocationProblem {
  code: IssueCode;
  path: string;
  message: string;
}

export function buildAllocations(state: ClusterState): ServiceAllocations {
  const cidr = parseCidr(state.config.serviceCIDR);
  // IPv4: the network and broadcast addresses are never handed out (ipallocator NewAllocatorCIDRRange).
  const ipCount = cidr ? Math.max(0, cidr.size - 2) : 0;
  const { from, to } = state.config.nodePortRange;
  const portCount = to - from + 1;
  const allocations: ServiceAllocations = {
    serviceCidr: cidr,
    serviceCidrText: state.config.serviceCIDR,
    // ClusterIP static band: min(max(16, size/16), 256) (KEP-3070, pkg/registry/core/service/ipallocator calculateRangeOffset).
    clusterIPs: {
      size: ipCount,
      offset: cidr ? staticBandSize(cidr.size, 16, 16, 256) : 0,
      used: new Set(),
    },
    nodePortFrom: from,
    nodePortTo: to,
    // NodePort static band: min(max(16, size/32), 128) → 30000-30085 by default (KEP-3668).
    nodePorts: { size: portCount, offset: staticBandSize(portCount, 16, 32, 128), used: new Set() },
    reservedIPs: new Map(),
    reservedPorts: new Map(),
    ipHolders: new Map(),
    portHolders: new Map(),
  };
  for (const svc of state.services.values()) claimServiceValues(allocations, svc);
  for (const [ip, owner] of state.reserved?.clusterIPs ?? []) {
    const at = ipOffset(allocations, ip);
    if (at === null || allocations.clusterIPs.used.has(at)) continue;
    allocations.clusterIPs.used.add(at);
    allocations.reservedIPs.set(at, owner);
  }
  for (const [port, owner] of state.reserved?.nodePorts ?? []) {
    const at = portOffset(allocations, port);
    if (at === null || allocations.nodePorts.used.has(at)) continue;
    allocations.nodePorts.used.add(at);
    allocations.reservedPorts.set(at, owner);
  }
  return allocations;
}

function ipOffset(allocations: ServiceAllocations, ip: string): number | null {
  const cidr = allocations.serviceCidr;
  if (!cidr || !isIPv4(ip) || !cidrContains(cidr, ip)) return null;
  const offset = ipToInt(ip) - cidr.base - 1;
  return offset >= 0 && offset < allocations.clusterIPs.size ? offset : null;
}

function portOffset(allocations: ServiceAllocations, port: number): number | null {
  return port >= allocations.nodePortFrom && port <= allocations.nodePortTo
    ? port - allocations.nodePortFrom
    : null;
}

function claimServiceValues(allocations: ServiceAllocations, svc: Service): void {
  const holder = `${svc.namespace}/${svc.name}`;
  const ipAt = svc.clusterIP ? ipOffset(allocations, svc.clusterIP) : null;
  if (ipAt !== null) {
    allocations.clusterIPs.used.add(ipAt);
    allocations.ipHolders.set(ipAt, holder);
  }
  for (const port of nodePortsOf(svc)) {
    const at = portOffset(allocations, port);
    if (at === null) continue;
    allocations.nodePorts.used.add(at);
    allocations.portHolders.set(at, holder);
  }
}

/** ` (Service default/a has it)` when the holder is known: the API server's message names none. */
function heldBy(holders: Map<number, string>, reserved: Map<number, string>, at: number): string {
  const holder = holders.get(at) ?? reserved.get(at);
  return holder ? ` (Service ${holder} has it)` : '';
}

/** Frees what `svc` holds (before an update re-claims, or on delete). */
export function releaseServiceValues(allocations: ServiceAllocations, svc: Service): void {
  const ipAt = svc.clusterIP ? ipOffset(allocations, svc.clusterIP) : null;
  if (ipAt !== null) allocations.clusterIPs.used.delete(ipAt);
  for (const port of nodePortsOf(svc)) {
    const at = portOffset(allocations, port);
    if (at !== null) allocations.nodePorts.used.delete(at);
  }
}

function nodePortsOf(svc: Service): number[] {
  const ports = svc.ports.map((p) => p.nodePort ?? 0).filter((p) => p > 0);
  if (svc.healthCheckNodePort) ports.push(svc.healthCheckNodePort);
  return ports;
}

/**
 * Assigns spec.clusterIP, nodePorts and healthCheckNodePort the way the Service REST storage does on
 * create (or update, with `previous`). Mutates `svc`; on any problem nothing stays allocated.
 */
export function allocateServiceValues(
  allocations: ServiceAllocations,
  svc: Service,
  previous: Service | undefined,
  random: RandomSource,
): AllocationProblem[] {
  if (previous) releaseServiceValues(allocations, previous);
  const problems: AllocationProblem[] = [];
  const claimedIPs: number[] = [];
  const claimedPorts: number[] = [];
  allocateClusterIP(allocations, svc, previous, random, problems, claimedIPs);
  if (!problems.length)
    allocateNodePorts(allocations, svc, previous, random, problems, claimedPorts);
  if (problems.length) {
    for (const at of claimedIPs) allocations.clusterIPs.used.delete(at);
    for (const at of claimedPorts) allocations.nodePorts.used.delete(at);
    if (previous) claimServiceValues(allocations, previous);
  } else claimServiceValues(allocations, svc);
  return problems;
}

function allocateClusterIP(
  allocations: ServiceAllocations,
  svc: Service,
  previous: Service | undefined,
  random: RandomSource,
  problems: AllocationProblem[],
  claimed: number[],
): void {
  if (svc.type === 'ExternalName') {
    svc.clusterIP = '';
    return;
  }
  const keep = previous && previous.type !== 'ExternalName' ? previous.clusterIP : '';
  if (keep && svc.clusterIP && svc.clusterIP !== keep) {
    problems.push({
      code: 'IMMUTABLE_FIELD',
      path: 'spec.clusterIPs[0]',
      message: `Invalid value: "${svc.clusterIP}": may not change once set`,
    });
    return;
  }
  if (!svc.clusterIP && keep) svc.clusterIP = keep;
  if (svc.clusterIP === 'None') return;
  if (svc.clusterIP) {
    const ip = svc.clusterIP;
    const prefix = `Invalid value: "${ip}": failed to allocate IP ${ip}: `;
    const at = ipOffset(allocations, ip);
    if (at === null) {
      problems.push({
        code: 'IP_OUT_OF_RANGE',
        path: 'spec.clusterIPs',
        message: `${prefix}the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${allocations.serviceCidrText}`,
      });
    } else if (allocations.reservedIPs.get(at) === `${svc.namespace}/${svc.name}`) {
      allocations.reservedIPs.delete(at);
    } else if (allocations.clusterIPs.used.has(at)) {
      problems.push({
        code: 'IP_ALLOCATED',
        path: 'spec.clusterIPs',
        message: `${prefix}provided IP is already allocated${heldBy(allocations.ipHolders, allocations.reservedIPs, at)}`,
      });
    } else {
      allocations.clusterIPs.used.add(at);
      claimed.push(at);
    }
    return;
  }
  const at = allocateNext(allocations.clusterIPs, random);
  if (at === null || !allocations.serviceCidr) {
    problems.push({
      code: 'RANGE_EXHAUSTED',
      path: 'spec.clusterIPs',
      message: 'Internal error occurred: failed to allocate a serviceIP: range is full',
    });
    return;
  }
  claimed.push(at);
  svc.clusterIP = intToIp(allocations.serviceCidr.base + 1 + at);
}

function allocateNodePorts(
  allocations: ServiceAllocations,
  svc: Service,
  previous: Service | undefined,
  random: RandomSource,
  problems: AllocationProblem[],
  claimed: number[],
): void {
  const wantsNodePorts = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  if (!wantsNodePorts) {
    for (const port of svc.ports) delete port.nodePort;
    delete svc.healthCheckNodePort;
    return;
  }
  // A port that keeps its number and protocol keeps its node port when the update leaves it out
  // (the registry patches allocated values from the old object: patchAllocatedValues).
  const previousByPort = new Map<string, number>();
  for (const port of previous?.ports ?? [])
    if (port.nodePort) previousByPort.set(`${port.protocol}/${port.port}`, port.nodePort);
  // TCP and UDP ports with the same number share one node port (service storage initNodePorts).
  const byServicePort = new Map<number, number>();
  const own = new Set<number>();
  const take = (value: number, path: string): boolean => {
    if (own.has(value)) return true;
    const at = portOffset(allocations, value);
    const prefix = `Invalid value: ${value}: `;
    if (at === null) {
      const range = `${allocations.nodePortFrom}-${allocations.nodePortTo}`;
      problems.push({
        code: 'PORT_OUT_OF_RANGE',
        path,
        message: `${prefix}provided port is not in the valid range. The range of valid ports is ${range}`,
      });
      return false;
    }
    if (allocations.reservedPorts.get(at) === `${svc.namespace}/${svc.name}`) {
      allocations.reservedPorts.delete(at);
      own.add(value);
      return true;
    }
    if (allocations.nodePorts.used.has(at)) {
      problems.push({
        code: 'PORT_ALLOCATED',
        path,
        message: `${prefix}provided port is already allocated${heldBy(allocations.portHolders, allocations.reservedPorts, at)}`,
      });
      return false;
    }
    allocations.nodePorts.used.add(at);
    claimed.push(at);
    own.add(value);
    return true;
  };
  const next = (path: string): number | null => {
    const at = allocateNext(allocations.nodePorts, random);
    if (at === null) {
      problems.push({
        code: 'RANGE_EXHAUSTED',
        path,
        message: 'Internal error occurred: failed to allocate a nodePort: range is full',
      });
      return null;
    }
    claimed.push(at);
    own.add(allocations.nodePortFrom + at);
    return allocations.nodePortFrom + at;
  };
  // allocateLoadBalancerNodePorts false: ports that name a node port (or kept one) still hold it,
  // the others get none (KEP-1864; existing node ports are not de-allocated on update).
  const allocate = !(svc.type === 'LoadBalancer' && svc.allocateLoadBalancerNodePorts === false);
  svc.ports.forEach((port, i) => {
    if (problems.length) return;
    const path = `spec.ports[${i}].nodePort`;
    const requested = port.nodePort || previousByPort.get(`${port.protocol}/${port.port}`) || 0;
    if (requested) {
      if (take(requested, path)) byServicePort.set(port.port, requested);
      port.nodePort = requested;
      return;
    }
    if (!allocate) {
      delete port.nodePort;
      return;
    }
    const shared = byServicePort.get(port.port);
    const value = shared ?? next(path);
    if (value === null) return;
    byServicePort.set(port.port, value);
    port.nodePort = value;
  });
  if (problems.length) return;
  // eTP Local on a LoadBalancer gets a health check port kube-proxy serves for the cloud LB (virtual-ips.md).
  if (svc.type === 'LoadBalancer' && svc.externalTrafficPolicy === 'Local') {
    const requested = svc.healthCheckNodePort || previous?.healthCheckNodePort || 0;
    if (requested) {
      if (take(requested, 'spec.healthCheckNodePort')) svc.healthCheckNodePort = requested;
    } else {
      const value = next('spec.healthCheckNodePort');
      if (value !== null) svc.healthCheckNodePort = value;
    }
  } else {
    delete svc.healthCheckNodePort;
  }
}
