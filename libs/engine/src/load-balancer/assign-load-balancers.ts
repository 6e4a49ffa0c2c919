import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import { objectRef } from '../model/issues';
import type { Service } from '../model/resources';
import { fnv32a } from '../util/hash';
import {
  findInRange,
  parseAddressRange,
  rangeContains,
  type AddressRange,
} from '../util/address-range';
import {
  MetalLbAllocator,
  POOL_ANNOTATION,
  metalLbAnnotation,
  type AllocationResult,
} from './metallb-allocator';
import { readMetalLbConfig } from './metallb-config';
import { openElbEips, openElbEipFor } from './openelb';
import { DEFAULT_CLOUD_RANGE, loadBalancerConfig } from './providers';
import { serviceLbAddresses } from './servicelb';

/** Where the cloud profile keeps the address behind a hostname-only ingress (engine bookkeeping, not a Kubernetes field). */
export const CLOUD_ADDRESS_ANNOTATION = 'netplay.dev/load-balancer-address';
export const KUBE_VIP_ANNOTATION = 'kube-vip.io/loadbalancerIPs';

type Ingress = Service['loadBalancerIngress'];

/**
 * The LoadBalancer controller step of reconcile: fills `status.loadBalancer.ingress` of
 * type=LoadBalancer Services the way the configured implementation does. Without one, Services
 * stay `<pending>` and whatever status the input wrote is kept. Idempotent: addresses already held
 * are kept (MetalLB: "already allocated → keep"), and a failure is reported once per message.
 */
export function assignLoadBalancers(state: ClusterState): EngineIssue[] {
  const lb = loadBalancerConfig(state);
  if (lb.provider === 'none') return [];
  const issues: EngineIssue[] = [];
  const events = state.loadBalancerEvents ?? new Map<string, string>();
  const results = new Map<
    string,
    { ingress: Ingress; annotations: Record<string, string | undefined>; error?: string }
  >();
  const handled = [...state.services.values()].filter(
    (s) => s.type === 'LoadBalancer' && !s.loadBalancerClass,
  );

  if (lb.provider === 'metallb') {
    const allocator = new MetalLbAllocator(state, readMetalLbConfig(state));
    const pending: Service[] = [];
    for (const svc of handled) {
      const held = svc.loadBalancerIngress.find((i) => i.ip)?.ip;
      const kept = held && !requestConflicts(svc, held) ? allocator.keep(svc, held) : null;
      if (kept?.ok) results.set(keyOf(svc), metalLbStatus(kept));
      else pending.push(svc);
    }
    for (const svc of pending)
      results.set(keyOf(svc), metalLbStatus(allocateMetalLb(allocator, svc)));
  } else if (lb.provider === 'servicelb') {
    assignServiceLb(state, handled, results);
  } else {
    const used = new Set<string>();
    for (const svc of handled) for (const i of svc.loadBalancerIngress) if (i.ip) used.add(i.ip);
    for (const svc of handled) {
      const held =
        svc.loadBalancerIngress.find((i) => i.ip)?.ip ?? svc.annotations[CLOUD_ADDRESS_ANNOTATION];
      const ranges = rangesFor(state, lb.provider, svc);
      const requested =
        svc.loadBalancerIP ??
        (lb.provider === 'kube-vip' ? svc.annotations[KUBE_VIP_ANNOTATION] : undefined);
      let ip: string | null = held && ranges.some((r) => rangeContains(r, held)) ? held : null;
      if (!ip && requested)
        ip =
          ranges.some((r) => rangeContains(r, requested)) && !used.has(requested)
            ? requested
            : null;
      else if (!ip)
        for (const r of ranges)
          if (!ip)
            ip = findInRange(r, (c) => !used.has(c) && !c.endsWith('.0') && !c.endsWith('.255'));
      if (!ip) {
        const why = requested
          ? `requested address ${requested} is outside the provider's range or already used`
          : ranges.length
            ? 'no free address in the range'
            : 'no address range is configured';
        results.set(keyOf(svc), { ingress: [], annotations: {}, error: why });
        continue;
      }
      used.add(ip);
      if (lb.provider === 'cloud' && lb.cloudHostnames) {
        results.set(keyOf(svc), {
          ingress: [{ hostname: cloudHostname(svc) }],
          annotations: { [CLOUD_ADDRESS_ANNOTATION]: ip },
        });
      } else {
        results.set(keyOf(svc), {
          ingress: [{ ip }],
          annotations: lb.provider === 'kube-vip' ? { [KUBE_VIP_ANNOTATION]: ip } : {},
        });
      }
    }
  }

  let changed = false;
  for (const svc of handled) {
    const result = results.get(keyOf(svc));
    if (!result) continue;
    if (JSON.stringify(svc.loadBalancerIngress) !== JSON.stringify(result.ingress)) {
      svc.loadBalancerIngress = result.ingress;
      changed = true;
    }
    for (const [k, v] of Object.entries(result.annotations)) {
      if (svc.annotations[k] === v) continue;
      if (v === undefined) delete svc.annotations[k];
      else svc.annotations[k] = v;
      changed = true;
    }
    const message = result.error && failureMessage(lb.provider, svc, result.error);
    if (message && events.get(keyOf(svc)) !== message) {
      issues.push({
        severity: 'warning',
        code: 'LB_ALLOCATION_FAILED',
        message,
        object: objectRef('Service', svc.namespace, svc.name),
      });
      events.set(keyOf(svc), message);
      changed = true;
    } else if (!message && events.delete(keyOf(svc))) changed = true;
  }
  if (changed) {
    state.loadBalancerEvents = events;
    state.version++;
  }
  return issues;
}

function keyOf(svc: Service): string {
  return `${svc.namespace}/${svc.name}`;
}

function metalLbStatus(result: AllocationResult): {
  ingress: Ingress;
  annotations: Record<string, string | undefined>;
  error?: string;
} {
  if (!result.ok)
    return { ingress: [], annotations: { [POOL_ANNOTATION]: undefined }, error: result.error };
  return { ingress: [{ ip: result.ip }], annotations: { [POOL_ANNOTATION]: result.pool } };
}

/** A held address no longer matching what the Service asks for is given up (MetalLB re-allocates on spec change). */
function requestConflicts(svc: Service, held: string): boolean {
  const requested = requestedIPs(svc);
  return requested.length > 0 && !requested.includes(held);
}

function requestedIPs(svc: Service): string[] {
  const annotated = metalLbAnnotation(svc, 'loadBalancerIPs');
  if (annotated)
    return annotated
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return svc.loadBalancerIP ? [svc.loadBalancerIP] : [];
}

/** controller/service.go convergeBalancer: requested IP, else the pool annotation, else any pool. */
function allocateMetalLb(allocator: MetalLbAllocator, svc: Service): AllocationResult {
  const annotated = metalLbAnnotation(svc, 'loadBalancerIPs');
  if (annotated && svc.loadBalancerIP)
    return {
      ok: false,
      error: 'service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP',
    };
  const pool = metalLbAnnotation(svc, 'address-pool');
  const requested = requestedIPs(svc).filter((ip) => !ip.includes(':'));
  if (requested.length) {
    const ip = requested[0];
    const owner = allocator.poolFor(ip);
    if (pool && owner && owner.name !== pool)
      return {
        ok: false,
        error: `requested loadBalancer IP "${ip}" is not in the requested pool "${pool}"`,
      };
    return allocator.assign(svc, ip);
  }
  if (pool) return allocator.allocateFromPool(svc, pool);
  return allocator.allocate(svc);
}

/**
 * k3s ServiceLB: EXTERNAL-IP lists the addresses of the nodes whose svclb pod runs (servicelb.ts).
 * A port another LoadBalancer already holds leaves the new service's svclb pods Pending (the
 * hostPort is taken on every node), so it stays `<pending>`.
 */
function assignServiceLb(
  state: ClusterState,
  services: Service[],
  results: Map<
    string,
    { ingress: Ingress; annotations: Record<string, string | undefined>; error?: string }
  >,
): void {
  const claimed = new Map<string, string>();
  for (const svc of services) {
    const ports = svc.ports.map((p) => `${p.protocol}/${p.port}`);
    const clash = ports.find((p) => claimed.has(p));
    if (clash) {
      results.set(keyOf(svc), {
        ingress: [],
        annotations: {},
        error: `hostPort ${clash} is already taken on every node by the svclb pods of ${claimed.get(clash)}`,
      });
      continue;
    }
    for (const p of ports) claimed.set(p, keyOf(svc));
    results.set(keyOf(svc), {
      ingress: serviceLbAddresses(state, svc).map((ip) => ({ ip })),
      annotations: {},
    });
  }
}

function rangesFor(state: ClusterState, provider: string, svc: Service): AddressRange[] {
  if (provider === 'openelb') {
    const eip = openElbEipFor(openElbEips(state), svc);
    return eip ? eip.ranges : [];
  }
  const configured = loadBalancerConfig(state).addresses;
  const texts = configured.length ? configured : provider === 'cloud' ? [DEFAULT_CLOUD_RANGE] : [];
  return texts.map(parseAddressRange).filter((r): r is AddressRange => r !== null);
}

/** An ELB-style DNS name, stable per Service (AWS uses `a<hash>-<n>.<region>.elb.amazonaws.com`). */
export function cloudHostname(svc: Service): string {
  return `a${fnv32a(`${svc.namespace}/${svc.name}`).toString(16).padStart(8, '0')}.elb.example.com`;
}

function failureMessage(provider: string, svc: Service, error: string): string {
  const name = `${svc.namespace}/${svc.name}`;
  // MetalLB records event AllocationFailed: `Failed to allocate IP for "ns/name": <error>` (controller/service.go).
  if (provider === 'metallb')
    return `AllocationFailed: Failed to allocate IP for "${name}": ${error}`;
  return `${provider}: no address for "${name}": ${error}; EXTERNAL-IP stays <pending>`;
}
