import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connectivityMatrix } from '../policy-matrix/connectivity-matrix';
import { groupMatrix } from '../policy-matrix/group-matrix';
import { renderMatrixTable } from '../policy-matrix/render-matrix';
import { runSteps } from '../scenario/run-scenario';
import type { ScenarioResult } from '../scenario/scenario-types';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { WEB_FROM_CLIENT_POLICY } from '../testing/table-fixtures';
import type { ProbeTrace } from '../trace/trace-types';
import { renderMatrixSvg } from './matrix-svg';
import { renderScenarioMermaid, renderTraceMermaid } from './trace-mermaid';
import { renderScenarioSvg, renderTraceSvg } from './trace-svg';

const website = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const DENY_OTHER = `
${WEB_FROM_CLIENT_POLICY}
---
apiVersion: v1
kind: Pod
metadata: { name: other, labels: { run: other } }
spec: { containers: [{ name: c, image: busybox }] }
`;
const cluster = clusterFromYaml(website, DENY_OTHER);

function run(...probes: { from: string; to: string }[]): ScenarioResult {
  return {
    issues: [],
    steps: runSteps(
      cluster,
      probes.map((probe) => ({ probe })),
    ),
  };
}

function probeTrace(from: string, to: string): ProbeTrace {
  const result = run({ from, to }).steps[0].result;
  if (!('kind' in result) || result.kind !== 'probe') throw new Error('expected a probe trace');
  return result;
}

/** Every opened element is closed: enough to catch a broken writer without an XML parser. */
function expectBalanced(svg: string) {
  for (const tag of ['svg', 'g', 'text', 'marker', 'defs', 'title'])
    expect((svg.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length).toBe(
      (svg.match(new RegExp(`</${tag}>`, 'g')) ?? []).length,
    );
}

describe('renderScenarioMermaid', () => {
  it('draws each traced step as a subgraph chaining every hop to the verdict', () => {
    const mermaid = renderScenarioMermaid(
      run(
        { from: 'default/client', to: 'http://website.default/' },
        { from: 'default/other', to: 'http://website.default/' },
      ),
    );
    expect(mermaid.startsWith('flowchart TB\n')).toBe(true);
    expect(mermaid.match(/^ {2}subgraph s\d\[/gm)).toHaveLength(2);
    expect(mermaid.match(/^ {2}end$/gm)).toHaveLength(2);
    // Only the second probe is denied by the policy.
    expect(mermaid).not.toContain('class s1_verdict failed');
    expect(mermaid).toContain('class s2_verdict failed');
  });

  it('escapes quotes and angle brackets with Mermaid entity codes and marks replies', () => {
    const trace = probeTrace('default/client', 'http://website.default/');
    const mermaid = renderTraceMermaid(trace);
    expect(mermaid).toContain('#quot;GET / HTTP/1.1#quot;');
    expect(mermaid).not.toMatch(/\["[^\]]*[^#]"[^\]]*"\]/);
    const replies = trace.hops.filter((h) => h.direction === 'reply').length;
    expect(replies).toBeGreaterThan(0);
    expect(mermaid.match(/ reply$/gm)).toHaveLength(replies);
    for (let seq = 1; seq < trace.hops.length; seq += 1)
      expect(mermaid).toContain(`s1_h${seq} --> s1_h${seq + 1}`);
  });
});

describe('renderScenarioSvg', () => {
  it('is a standalone SVG with one box per hop, a lane per node and the verdict', () => {
    const trace = probeTrace('default/client', 'http://website.default/');
    const svg = renderTraceSvg(trace);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expectBalanced(svg);
    for (const hop of trace.hops) expect(svg).toContain(`>${hop.seq}. [${hop.component}`);
    for (const node of new Set(trace.hops.map((h) => h.node ?? 'outside')))
      expect(svg).toContain(`font-weight="bold" fill="#455a64">${node}</text>`);
    expect(svg).toContain('>delivered</text>');
    expect(svg).toBe(renderTraceSvg(trace));
  });

  it('draws a denied probe in red and escapes XML in text', () => {
    const svg = renderScenarioSvg(run({ from: 'default/other', to: 'http://website.default/' }));
    expect(svg).toContain('fill="#c62828" font-weight="bold">dropped (POLICY_DENIED)</text>');
    expect(svg).toContain('&quot;GET / HTTP/1.1&quot;');
    expectBalanced(svg);
  });

  it('says so when a run has nothing traced', () => {
    expect(renderScenarioSvg({ issues: [], steps: [] })).toContain('>no probe or lookup</text>');
  });
});

describe('renderMatrixSvg', () => {
  const matrix = connectivityMatrix(cluster, { port: 80, protocol: 'TCP' });

  it('draws one cell per pair, red exactly where the truth table says X', () => {
    const svg = renderMatrixSvg(matrix);
    expectBalanced(svg);
    const cells = svg.match(/<rect [^>]*width="15" height="15" fill="(#[0-9a-f]+)"/g) ?? [];
    expect(cells).toHaveLength(matrix.peers.length ** 2);
    const denied = renderMatrixTable(matrix)
      .split('\n')
      .slice(2)
      .join('\t')
      .split('\t')
      .filter((m) => m === 'X').length;
    expect(denied).toBeGreaterThan(0);
    expect(cells.filter((c) => c.includes('#c62828'))).toHaveLength(denied);
    expect(svg).toContain('<title>default/other → default/website-');
  });

  it('draws the grouped table with its legend', () => {
    const grouped = groupMatrix(matrix);
    const svg = renderMatrixSvg(matrix, grouped);
    const cells = svg.match(/<rect [^>]*width="15" height="15"/g) ?? [];
    expect(cells).toHaveLength(grouped.groups.length ** 2);
    for (const group of grouped.groups) expect(svg).toContain(`>${group.name}: `);
  });
});
