import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runSteps } from '../scenario/run-scenario';
import type { Step } from '../scenario/scenario-types';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { renderScenarioDot, renderTraceDot } from './trace-dot';

const website = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const cluster = clusterFromYaml(website);

describe('renderScenarioDot', () => {
  it.each<[string, Step[], { clusters: number; dropped: boolean }]>([
    [
      'a probe that reaches a backend',
      [{ probe: { from: 'default/client', to: 'http://website.default/' } }],
      { clusters: 1, dropped: false },
    ],
    [
      'a probe to a name that does not resolve',
      [{ probe: { from: 'default/client', to: 'website.foo' } }],
      { clusters: 1, dropped: true },
    ],
    [
      'a lookup and a view (views have no hops)',
      [{ dns: { from: 'default/client', name: 'website' } }, { get: { kind: 'pods' } }],
      { clusters: 1, dropped: false },
    ],
  ])('draws %s as one cluster per traced step', (_, steps, expected) => {
    const dot = renderScenarioDot({ issues: [], steps: runSteps(cluster, steps) });
    expect(dot.startsWith('digraph "netplay" {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot.match(/subgraph "cluster_/g)?.length ?? 0).toBe(expected.clusters);
    expect(dot.includes('color=red')).toBe(expected.dropped);
  });

  it('chains every hop in trace order and ends at the verdict', () => {
    const [step] = runSteps(cluster, [
      { probe: { from: 'default/client', to: 'http://website.default/' } },
    ]);
    if (!('kind' in step.result) || step.result.kind !== 'probe')
      throw new Error('expected a probe trace');
    const dot = renderTraceDot(step.result);
    const hops = step.result.hops.length;
    expect(hops).toBeGreaterThan(1);
    for (let seq = 1; seq < hops; seq += 1)
      expect(dot).toContain(`"s1_h${seq}" -> "s1_h${seq + 1}";`);
    expect(dot).toContain(`"s1_h${hops}" -> "s1_verdict";`);
  });

  it('escapes quotes and backslashes in labels', () => {
    const dot = renderTraceDot({
      kind: 'dns',
      request: { from: 'default/client', name: 'x"y\\z', type: 'A' },
      verdict: 'unresolved',
      reason: 'a "quoted" reason',
      queries: [],
      answers: [],
      hops: [],
      notes: [],
    });
    expect(dot).toContain('lookup x\\"y\\\\z A');
    expect(dot).toContain('a \\"quoted\\" reason');
  });
});
