import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { Hop } from '../trace/trace-types';
import type { UnsimulatedConcern } from '../manifests/unsimulated-kinds';
import { unsimulatedReach, type UnsimulatedMention } from './unsimulated-reach';

/** `a CiliumNetworkPolicy (default/rule1)`, `an Istio AuthorizationPolicy (…)`, `an HTTPRoute (GAMMA, …)`. */
function named(m: UnsimulatedMention): string {
  const gamma = m.product === 'Gateway API' && m.kind === 'HTTPRoute';
  const what =
    m.kind.startsWith(m.product) || m.product === 'Gateway API' ? m.kind : `${m.product} ${m.kind}`;
  // "an HTTPRoute": the article follows the sound of the first letter (aitch).
  const article = /^([AEIOU]|HTTP)/.test(what) ? 'an' : 'a';
  return `${article} ${what} (${gamma ? 'GAMMA, ' : ''}${m.object})`;
}

function effect(m: UnsimulatedMention): string {
  return m.concern === 'policy' ? 'the real verdict may differ' : 'the real routing may differ';
}

function relation(m: UnsimulatedMention, target: 'pod' | 'service'): string {
  if (target === 'service') return m.concern === 'policy' ? 'applies to' : 'routes requests to';
  return m.concern === 'policy' ? 'selects' : 'routes requests in';
}

function sentence(m: UnsimulatedMention, target: 'pod' | 'service', ref: string): string {
  const assumed = m.unreadable
    ? ` (${m.unreadable}: assumed to select every pod in its scope)`
    : '';
  return `${named(m)} ${relation(m, target)} ${target === 'pod' ? 'pod' : 'Service'} ${ref}${assumed}; not simulated; ${effect(m)}`;
}

/**
 * Says, at the first hop where each affected pod or Service appears on the request path, that an
 * object the engine keeps but does not simulate (another CNI's policy, mesh or proxy routing)
 * applies there, and repeats it in the notes: the verdict of such a trace is the engine's, not
 * necessarily the cluster's. A policy is named where its pod sends (FROM_ENDPOINT) or receives
 * (TO_ENDPOINT); proxy routing where the proxy pod decides (TO_PROXY); a Service's routing where
 * kube-proxy or a proxy picks its endpoint.
 */
export function markUnsimulated(
  state: ClusterState,
  trace: { hops: Hop[]; notes: string[] },
): void {
  const reach = unsimulatedReach(state);
  if (!reach.objects.length) return;
  const index = clusterIndex(state);
  const seen = new Set<string>();
  for (const hop of trace.hops) {
    if (hop.direction !== 'request') continue;
    // A policy applies where the pod sends or receives; proxy routing where the proxy decides.
    const at: [string | undefined, UnsimulatedConcern] | undefined =
      hop.observationPoint === 'FROM_ENDPOINT'
        ? [hop.packet.src.ip, 'policy']
        : hop.observationPoint === 'TO_ENDPOINT'
          ? [hop.packet.dst.ip, 'policy']
          : hop.observationPoint === 'TO_PROXY'
            ? [hop.packet.dst.ip, 'routing']
            : undefined;
    const pod = at?.[0] ? index.podsByIP.get(at[0])?.find((p) => !p.hostNetwork) : undefined;
    if (pod && at) {
      const ref = `${pod.namespace}/${pod.name}`;
      const mentions = reach.byPod.get(ref)?.filter((m) => m.concern === at[1]);
      mark(hop, 'pod', ref, mentions, seen, trace.notes);
    }
    const service = hop.details?.service;
    if (
      typeof service === 'string' &&
      (hop.component === 'kube-proxy' || hop.component === 'ingress-controller')
    )
      mark(hop, 'service', service, reach.byService.get(service), seen, trace.notes);
  }
}

function mark(
  hop: Hop,
  target: 'pod' | 'service',
  ref: string,
  mentions: UnsimulatedMention[] | undefined,
  seen: Set<string>,
  notes: string[],
): void {
  if (!mentions?.length) return;
  const key = `${target}:${ref}:${mentions[0].concern}`;
  if (seen.has(key)) return;
  seen.add(key);
  const here = target === 'pod' ? 'this pod' : `Service ${ref}`;
  const list = mentions.map((m) => `${named(m)} ${relation(m, target)} ${here}`).join('; ');
  const effects = [...new Set(mentions.map(effect))].join(' and ');
  hop.description = `${hop.description} [not simulated: ${list}; ${effects}]`;
  hop.details = {
    ...hop.details,
    unsimulated: [
      ...((hop.details?.unsimulated as unknown[] | undefined) ?? []),
      ...mentions.map((m) => ({ kind: m.kind, object: m.object, product: m.product, target: ref })),
    ],
  };
  for (const m of mentions) {
    const note = sentence(m, target, ref);
    if (!notes.includes(note)) notes.push(note);
  }
}
