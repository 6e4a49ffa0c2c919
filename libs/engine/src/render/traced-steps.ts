import type { DnsTrace, Hop, ProbeTrace } from '../trace/trace-types';
import type { ScenarioResult } from '../scenario/scenario-types';
import { packetText } from './packet-text';

/** One probe or lookup of a run, as every picture of it (DOT, Mermaid, SVG) titles and labels it. */
export interface TracedStep {
  /** `s1`, `s2`, …: the step's number, for element ids. */
  id: string;
  heading: string;
  trace: ProbeTrace | DnsTrace;
}

/** The probes and lookups of a scenario in order; other steps (views, changes) have no hops. */
export function tracedSteps(result: ScenarioResult): TracedStep[] {
  return result.steps.flatMap((step) => {
    const r = step.result;
    if (!('kind' in r) || (r.kind !== 'probe' && r.kind !== 'dns')) return [];
    const title = `step ${step.index + 1}${step.name ? `: ${step.name}` : ''}`;
    const heading =
      r.kind === 'probe'
        ? `${title}: probe ${r.request.from} → ${r.request.to}`
        : `${title}: lookup ${r.request.name} ${r.request.type} from ${r.request.from}`;
    return [{ id: `s${step.index + 1}`, heading, trace: r }];
  });
}

/** One trace on its own, as the one step of a run. */
export function singleTrace(trace: ProbeTrace | DnsTrace): ScenarioResult {
  return { issues: [], steps: [{ index: 0, kind: trace.kind, result: trace }] };
}

/** `3. [kube-proxy worker KUBE-SERVICES]`: where the hop happens. */
export function hopHeading(hop: Hop): string {
  const where = [hop.component, hop.node ?? 'outside', hop.interface].filter(Boolean).join(' ');
  return `${hop.seq}. [${where}]`;
}

/** The three lines every picture shows for a hop: where, the packet, what happened. */
export function hopLines(hop: Hop): [string, string, string] {
  return [hopHeading(hop), packetText(hop.packet), hop.description];
}

/** `dropped (POLICY_DENIED)`, `delivered`, `resolved`. */
export function verdictText(trace: ProbeTrace | DnsTrace): string {
  return trace.kind === 'probe' && trace.dropReason
    ? `${trace.verdict} (${trace.dropReason})`
    : trace.verdict;
}

/** Pictures mark these in red: a probe that did not get through, a name that did not resolve. */
export function failed(trace: ProbeTrace | DnsTrace): boolean {
  return trace.kind === 'probe' ? trace.dropReason !== null : trace.verdict === 'unresolved';
}
