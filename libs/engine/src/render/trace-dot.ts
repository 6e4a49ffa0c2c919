import type { DnsTrace, Hop, ProbeTrace } from '../trace/trace-types';
import type { ScenarioResult } from '../scenario/scenario-types';
import { packetText } from './packet-text';

/**
 * Graphviz DOT of the probes and lookups of a scenario: one cluster per probe/dns step, one node
 * per hop in trace order, and a final node with the verdict. Other steps (views, mutations) have no
 * hops and are left out. `dot -Tsvg` draws it.
 */
export function renderScenarioDot(result: ScenarioResult, graphName = 'netplay'): string {
  const lines = [
    `digraph ${quote(graphName)} {`,
    '  rankdir=TB;',
    '  node [shape=box, fontname="monospace", fontsize=10];',
  ];
  for (const step of result.steps) {
    const r = step.result;
    if (!('kind' in r) || (r.kind !== 'probe' && r.kind !== 'dns')) continue;
    const title = `step ${step.index + 1}${step.name ? `: ${step.name}` : ''}`;
    lines.push(...traceCluster(r, `s${step.index + 1}`, title));
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** One trace on its own, as a complete graph. */
export function renderTraceDot(trace: ProbeTrace | DnsTrace, graphName = 'trace'): string {
  return renderScenarioDot(
    { issues: [], steps: [{ index: 0, kind: trace.kind, result: trace }] },
    graphName,
  );
}

function traceCluster(trace: ProbeTrace | DnsTrace, prefix: string, title: string): string[] {
  const heading =
    trace.kind === 'probe'
      ? `${title}: probe ${trace.request.from} → ${trace.request.to}`
      : `${title}: lookup ${trace.request.name} ${trace.request.type} from ${trace.request.from}`;
  const lines = [`  subgraph ${quote(`cluster_${prefix}`)} {`, `    label=${quote(heading)};`];
  const ids = trace.hops.map((hop) => `${prefix}_h${hop.seq}`);
  trace.hops.forEach((hop, i) =>
    lines.push(
      `    ${quote(ids[i])} [label=${quote(hopLabel(hop))}${hop.direction === 'reply' ? ', style=dashed' : ''}];`,
    ),
  );
  const verdictId = `${prefix}_verdict`;
  const dropped =
    trace.kind === 'probe' ? trace.dropReason !== null : trace.verdict === 'unresolved';
  const verdict =
    trace.kind === 'probe' && trace.dropReason
      ? `${trace.verdict} (${trace.dropReason})`
      : trace.verdict;
  lines.push(
    `    ${quote(verdictId)} [shape=ellipse, label=${quote(`${verdict}\n${trace.reason}`)}${dropped ? ', color=red' : ''}];`,
  );
  const chain = [...ids, verdictId];
  for (let i = 1; i < chain.length; i += 1)
    lines.push(`    ${quote(chain[i - 1])} -> ${quote(chain[i])};`);
  lines.push('  }');
  return lines;
}

function hopLabel(hop: Hop): string {
  const where = [hop.component, hop.node ?? 'outside', hop.interface].filter(Boolean).join(' ');
  return `${hop.seq}. [${where}]\n${packetText(hop.packet)}\n${hop.description}`;
}

/** DOT string literal: backslashes and quotes escaped, line breaks as `\n` (centred lines). */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
