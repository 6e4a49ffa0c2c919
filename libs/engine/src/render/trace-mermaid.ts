import type { DnsTrace, ProbeTrace } from '../trace/trace-types';
import type { ScenarioResult } from '../scenario/scenario-types';
import { failed, hopLines, singleTrace, tracedSteps, verdictText } from './traced-steps';

/**
 * A Mermaid flowchart of the probes and lookups of a scenario, the same graph as the DOT: one
 * subgraph per traced step, one node per hop in order (replies dashed), then the verdict (red when
 * the packet did not get through). GitHub and GitLab draw it inside a ```mermaid block.
 */
export function renderScenarioMermaid(result: ScenarioResult): string {
  const lines = [
    'flowchart TB',
    '  classDef reply stroke-dasharray: 5 5',
    '  classDef failed stroke:#c62828,color:#c62828',
  ];
  for (const { id, heading, trace } of tracedSteps(result)) {
    lines.push(`  subgraph ${id}["${label(heading)}"]`, '    direction TB');
    const ids = trace.hops.map((hop) => `${id}_h${hop.seq}`);
    trace.hops.forEach((hop, i) => {
      lines.push(`    ${ids[i]}["${hopLines(hop).map(label).join('<br/>')}"]`);
      if (hop.direction === 'reply') lines.push(`    class ${ids[i]} reply`);
    });
    const verdictId = `${id}_verdict`;
    lines.push(`    ${verdictId}(["${label(verdictText(trace))}<br/>${label(trace.reason)}"])`);
    if (failed(trace)) lines.push(`    class ${verdictId} failed`);
    const chain = [...ids, verdictId];
    for (let i = 1; i < chain.length; i += 1) lines.push(`    ${chain[i - 1]} --> ${chain[i]}`);
    lines.push('  end');
  }
  return `${lines.join('\n')}\n`;
}

/** One trace on its own. */
export function renderTraceMermaid(trace: ProbeTrace | DnsTrace): string {
  return renderScenarioMermaid(singleTrace(trace));
}

/**
 * Text inside a quoted Mermaid label: Mermaid's entity codes for the characters its parser or the
 * HTML label would take as syntax (`#` first, since every code starts with it).
 */
function label(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/&/g, '#amp;')
    .replace(/\r?\n/g, '<br/>');
}
