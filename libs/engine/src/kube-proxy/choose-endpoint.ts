import type { ClusterState } from '../model/cluster-state';
import type { Service, ServicePort } from '../model/resources';
import { fnv32a } from '../util/hash';
import { draw, drawInt } from '../util/rng';
import { servicePortKey } from './chain-names';
import { ipvsScheduler } from './ipvs-rules';
import type { ServiceEndpoint } from './endpoints';

export interface EndpointChoice {
  endpoint: ServiceEndpoint;
  /** Overall chance of this endpoint for a new connection: 1/n for random and round-robin modes, 1 for sticky picks. */
  probability: number;
  /**
   * iptables: the `--probability` of the KUBE-SVC rule that matched (`0.3333333333`), null for the
   * last, unconditional rule (or when another mode chose).
   */
  ruleProbability: string | null;
  viaAffinity: boolean;
  /** Position of the chosen endpoint in kube-proxy's sorted endpoint list (its rule in KUBE-SVC / vmap key). */
  ruleIndex: number;
  notes: string[];
}

/** IPVS schedulers listed in the kube-proxy docs (virtual-ips.md). */
const IPVS_SCHEDULERS = new Set(['rr', 'lc', 'dh', 'sh', 'sed', 'nq', 'wrr', 'wlc']);

/** `fmt.Sprintf("%0.10f", 1.0/n)` as the iptables proxier writes the statistic rule. */
export function iptablesProbability(n: number): string {
  return (1 / n).toFixed(10);
}

/**
 * Picks the backend for a new connection the way this node's kube-proxy mode does, drawing every
 * random choice from the cluster's seeded stream. Session affinity ClientIP sticks a client (by
 * source IP) to its first endpoint while that endpoint stays a candidate; the engine has no clock,
 * so the entry never expires within a scenario (real kube-proxy: sessionAffinityConfig timeout,
 * default 10800 s). Candidates must be non-empty and in kube-proxy's order.
 */
export function chooseEndpoint(
  state: ClusterState,
  service: Service,
  servicePort: ServicePort,
  candidates: ServiceEndpoint[],
  clientIP: string,
): EndpointChoice {
  const n = candidates.length;
  const affinityKey = `${servicePortKey(service, servicePort)}|${clientIP}`;
  if (service.sessionAffinity === 'ClientIP') {
    const stuck = state.affinity.get(affinityKey);
    const ruleIndex = stuck === undefined ? -1 : candidates.findIndex((ep) => ep.key === stuck);
    if (ruleIndex >= 0) {
      return {
        endpoint: candidates[ruleIndex],
        probability: 1,
        ruleProbability: null,
        viaAffinity: true,
        ruleIndex,
        notes: [
          `session affinity ClientIP: ${clientIP} is stuck to ${stuck} (timeout ${service.sessionAffinityTimeoutSeconds} s; the engine has no clock, so the entry lasts the whole scenario)`,
        ],
      };
    }
  }
  const choice = pickByMode(state, service, servicePort, candidates, clientIP);
  const endpoint = candidates[choice.ruleIndex];
  if (service.sessionAffinity === 'ClientIP') {
    state.affinity.set(affinityKey, endpoint.key);
    choice.notes.push(
      `session affinity ClientIP: ${clientIP} now sticks to ${endpoint.key} (timeout ${service.sessionAffinityTimeoutSeconds} s; the engine has no clock, so the entry lasts the whole scenario)`,
    );
  }
  return { ...choice, endpoint, viaAffinity: false, probability: choice.probability ?? 1 / n };
}

type ModeChoice = {
  ruleIndex: number;
  ruleProbability: string | null;
  probability?: number;
  notes: string[];
};

function pickByMode(
  state: ClusterState,
  service: Service,
  servicePort: ServicePort,
  candidates: ServiceEndpoint[],
  clientIP: string,
): ModeChoice {
  const n = candidates.length;
  switch (state.config.kubeProxy.mode) {
    case 'iptables':
      return walkStatisticRules(state, n);
    case 'nftables':
      // `numgen random mod N vmap { 0 : goto endpoint-…, … }`
      return { ruleIndex: drawInt(state, n), ruleProbability: null, notes: [] };
    case 'ipvs':
      return ipvsSchedule(state, service, servicePort, candidates, clientIP);
  }
}

/**
 * KUBE-SVC-*: rule i (i < n-1) is `-m statistic --mode random --probability 1/(n-i)`, the last is
 * unconditional (iptables proxier.go writeServiceToEndpointRules), so each endpoint gets 1/n overall.
 */
function walkStatisticRules(state: ClusterState, n: number): ModeChoice {
  for (let i = 0; i < n - 1; i++) {
    if (draw(state) < 1 / (n - i))
      return { ruleIndex: i, ruleProbability: iptablesProbability(n - i), notes: [] };
  }
  return { ruleIndex: n - 1, ruleProbability: null, notes: [] };
}

function ipvsSchedule(
  state: ClusterState,
  service: Service,
  servicePort: ServicePort,
  candidates: ServiceEndpoint[],
  clientIP: string,
): ModeChoice {
  const n = candidates.length;
  const scheduler = ipvsScheduler(state);
  switch (scheduler) {
    case 'sh':
      // Source hashing: the same client always lands on the same real server. IPVS hashes into a
      // 256-bucket table; the engine hashes the address directly (same stickiness, other mapping).
      return {
        ruleIndex: fnv32a(clientIP) % n,
        ruleProbability: null,
        probability: 1,
        notes: [
          'IPVS sh: the engine hashes the source IP with its own function; the server a given client maps to differs from a real node, the stickiness does not.',
        ],
      };
    case 'dh':
      // Destination hashing on the virtual address: every connection to this VIP gets the same server.
      return {
        ruleIndex: fnv32a(service.clusterIP) % n,
        ruleProbability: null,
        probability: 1,
        notes: [
          'IPVS dh hashes the destination (the service address), so all clients reach the same real server.',
        ],
      };
    case 'lc':
    case 'wlc':
    case 'sed':
    case 'nq':
      return {
        ruleIndex: 0,
        ruleProbability: null,
        probability: 1,
        notes: [
          `IPVS ${scheduler}: the engine keeps no connection counts, so every server has 0 active connections and the first one is chosen.`,
        ],
      };
    default: {
      const notes = IPVS_SCHEDULERS.has(scheduler)
        ? []
        : [`IPVS scheduler "${scheduler}" is not simulated; round-robin (rr) is used instead.`];
      // kube-proxy adds real servers in Go map order, so a real node's rotation order is arbitrary.
      if (n > 1)
        notes.push(
          'IPVS round-robin: the engine rotates through the real servers in address order; a real node rotates in the order kube-proxy added them.',
        );
      const cursors = state.ipvsCursor ?? (state.ipvsCursor = new Map());
      const key = servicePortKey(service, servicePort);
      const next = cursors.get(key) ?? 0;
      cursors.set(key, next + 1);
      return { ruleIndex: next % n, ruleProbability: null, notes };
    }
  }
}
