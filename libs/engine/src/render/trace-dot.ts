import type { DnsTrace, ProbeTrace } from '../trace/trace-types';
import type { ScenarioResult } from '../scenario/scenario-types';
import {
  failed,
  hopLines,
  singleTrace,
  tracedSteps,
  verdictText,
  type TracedStep,
} from './traced-steps';

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
  for (const step of tracedSteps(result)) lines.push(...traceCluster(step));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** One trace on its own, as a complete graph. */
export function renderTraceDot(trace: ProbeTrace | DnsTrace, graphName = 'trace'): string {
  return renderScenarioDot(singleTrace(trace), graphName);
}

function traceCluster({ id: prefix, heading, trace }: TracedStep): string[] {
  const lines = [`  subgraph ${quote(`cluster_${prefix}`)} {`, `    label=${quote(heading)};`];
  const ids = trace.hops.map((hop) => `${prefix}_h${hop.seq}`);
  trace.hops.forEach((hop, i) =>
    lines.push(
      `    ${quote(ids[i])} [label=${quote(hopLines(hop).join('\n'))}${hop.direction === 'reply' ? ', style=dashed' : ''}];`,
    ),
  );
  const verdictId = `${prefix}_verdict`;
  lines.push(
    `    ${quote(verdictId)} [shape=ellipse, label=${quote(`${verdictText(trace)}\n${trace.reason}`)}${failed(trace) ? ', color=red' : ''}];`,
  );
  const chain = [...ids, verdictId];
  for (let i = 1; i < chain.length; i += 1)
    lines.push(`    ${quote(chain[i - 1])} -> ${quote(chain[i])};`);
  lines.push('  }');
  return lines;
}

/** DOT string literal: backslashes and quotes escaped, line breaks as `\n` (centred lines). */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
