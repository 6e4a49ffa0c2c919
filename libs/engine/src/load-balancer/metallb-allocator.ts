import type { ClusterState } from '../model/cluster-state';
import type { LabelSelector, Service } from '../model/resources';
import { formatLabels, selectorMatches } from '../util/labels';
import { findInRange, isBuggyIP, rangeContains } from '../util/address-range';
import type { AddressPool, MetalLbConfig } from './metallb-config';

/** MetalLB reads both prefixes; `metallb.universe.tf/*` is deprecated but still honoured (usage/_index.md). */
export function metalLbAnnotation(service: Service, name: string): string | undefined {
  return (
    service.annotations[`metallb.io/${name}`] ?? service.annotations[`metallb.universe.tf/${name}`]
  );
}

export const POOL_ANNOTATION = 'metallb.io/ip-allocated-from-pool';

interface Allocation {
  service: string;
  ip: string;
  pool: string;
  ports: string[];
  sharingKey: string;
  backendKey: string;
}

export type AllocationResult =
  { ok: true; ip: string; pool: string } | { ok: false; error: string };

/**
 * MetalLB's allocator (internal/allocator/allocator.go) over the services that already hold an
 * address: which IPs are taken, by whom, with which sharing key and ports.
 */
export class MetalLbAllocator {
  private byIP = new Map<string, Allocation[]>();

  constructor(
    private readonly state: ClusterState,
    private readonly config: MetalLbConfig,
  ) {}

  poolFor(ip: string): AddressPool | undefined {
    return this.config.pools.find(
      (p) => !(p.avoidBuggyIPs && isBuggyIP(ip)) && p.ranges.some((r) => rangeContains(r, ip)),
    );
  }

  /** Records an address a service already holds (MetalLB keeps existing allocations first). */
  keep(service: Service, ip: string): AllocationResult {
    return this.assign(service, ip);
  }

  /** `Assign`: the IP must lie in a pool; a used IP needs a compatible sharing key and free ports. */
  assign(service: Service, ip: string): AllocationResult {
    const pool = this.poolFor(ip);
    if (!pool) return { ok: false, error: `"${ip}" is not allowed in config` };
    const mine = allocationOf(service, ip, pool.name);
    const others = (this.byIP.get(ip) ?? []).filter((a) => a.service !== mine.service);
    if (others.length) {
      const problem = sharingProblem(others[0], mine);
      if (problem)
        return {
          ok: false,
          error: `can't change sharing key for "${mine.service}", address also in use by ${others.map((a) => a.service).join(',')}`,
        };
      for (const port of mine.ports) {
        const user = others.find((a) => a.ports.includes(port));
        if (user) return { ok: false, error: `port ${port} is already in use on "${ip}"` };
      }
    }
    this.byIP.set(ip, [...others, mine]);
    return { ok: true, ip, pool: pool.name };
  }

  /** `AllocateFromPool`: the first assignable address walking the pool's ranges in order. */
  allocateFromPool(service: Service, poolName: string): AllocationResult {
    const pool = this.config.pools.find((p) => p.name === poolName);
    if (!pool) return { ok: false, error: `unknown pool "${poolName}"` };
    for (const range of pool.ranges) {
      const ip = findInRange(
        range,
        (candidate) =>
          !(pool.avoidBuggyIPs && isBuggyIP(candidate)) && this.assign(service, candidate).ok,
      );
      if (ip) return { ok: true, ip, pool: pool.name };
    }
    return { ok: false, error: `no available IPs in pool "${poolName}"` };
  }

  /**
   * `Allocate`: pools whose serviceAllocation selects the service, by priority (lower value first,
   * 0 = unset = last), then the auto-assign pools without serviceAllocation. MetalLB walks the latter
   * in Go map order, which is unspecified; the engine uses input order.
   */
  allocate(service: Service): AllocationResult {
    for (const pool of poolsInAllocationOrder(this.state, this.config, service)) {
      const result = this.allocateFromPool(service, pool.name);
      if (result.ok) return result;
    }
    return { ok: false, error: 'no available IPs' };
  }
}

export function poolsInAllocationOrder(
  state: ClusterState,
  config: MetalLbConfig,
  service: Service,
): AddressPool[] {
  const auto = config.pools.filter((p) => p.autoAssign);
  const pinned = auto.filter((p) => p.serviceAllocation && poolSelectsService(state, p, service));
  const rank = (p: AddressPool) =>
    p.serviceAllocation?.priority ? p.serviceAllocation.priority : Number.MAX_SAFE_INTEGER;
  pinned.sort((a, b) => rank(a) - rank(b));
  return [...pinned, ...auto.filter((p) => !p.serviceAllocation)];
}

/** serviceAllocation.namespaces / namespaceSelectors / serviceSelectors: each list, when given, must match. */
export function poolSelectsService(
  state: ClusterState,
  pool: AddressPool,
  service: Service,
): boolean {
  const sa = pool.serviceAllocation;
  if (!sa) return true;
  const nsLabels = state.namespaces.get(service.namespace)?.labels ?? {};
  const anyMatch = (list: LabelSelector[], labels: Record<string, string>) =>
    list.some((s) => selectorMatches(s, labels));
  if (sa.namespaces.length && !sa.namespaces.includes(service.namespace)) return false;
  if (sa.namespaceSelectors.length && !anyMatch(sa.namespaceSelectors, nsLabels)) return false;
  if (sa.serviceSelectors.length && !anyMatch(sa.serviceSelectors, service.labels)) return false;
  return true;
}

function allocationOf(service: Service, ip: string, pool: string): Allocation {
  return {
    service: `${service.namespace}/${service.name}`,
    ip,
    pool,
    ports: service.ports.map((p) => `${p.protocol}/${p.port}`),
    sharingKey: metalLbAnnotation(service, 'allow-shared-ip') ?? '',
    // controller/service.go: eTP Local services may share only with identical pod selectors,
    // because each node announces the IP only where that selector has endpoints.
    backendKey:
      service.externalTrafficPolicy === 'Local' ? formatLabels(service.selector ?? {}) : '',
  };
}

function sharingProblem(existing: Allocation, mine: Allocation): string | null {
  if (!existing.sharingKey) return 'existing service does not allow sharing';
  if (!mine.sharingKey) return 'new service does not allow sharing';
  if (existing.sharingKey !== mine.sharingKey)
    return `sharing key "${mine.sharingKey}" does not match existing sharing key "${existing.sharingKey}"`;
  if (existing.backendKey !== mine.backendKey)
    return `backend key "${mine.backendKey}" does not match existing sharing key "${existing.backendKey}"`;
  return null;
}
