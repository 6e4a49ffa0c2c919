import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { loadCluster } from '../libs/engine/src/cluster/load-cluster';
import { parseScenario } from '../libs/engine/src/scenario/parse-scenario';
import { runScenario, runSteps } from '../libs/engine/src/scenario/run-scenario';
import type { ScenarioResult, Step, StepResult } from '../libs/engine/src/scenario/scenario-types';
import type { ManifestFile } from '../libs/engine/src/manifests/manifest-set';
import { mismatches, viewMismatches, type ViewExpectation } from './scenario-expect';

/**
 * Every `test/scenarios/<name>.yaml` runs through runScenario; `<name>.expect.yaml` lists, per
 * step, the fields that must hold. Expectations come from documented Kubernetes behaviour
 * (the seed documents, /docs pages cited in the expect files), not from recorded output.
 */
interface StepExpectation {
  /** 1-based step number, as `netplay run` prints it. */
  step: number;
  /** Why this is the expected behaviour (a doc or the seed). */
  because?: string;
  view?: ViewExpectation;
  [field: string]: unknown;
}

const DIR = join(__dirname, 'scenarios');
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.expect.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

function read(name: string): { manifests: ManifestFile[]; steps: Step[] } {
  const path = join(DIR, `${name}.yaml`);
  const parsed = parseScenario(readFileSync(path, 'utf8'));
  if (!parsed.scenario)
    throw new Error(`scenario ${name} does not parse: ${JSON.stringify(parsed.issues)}`);
  const manifests: ManifestFile[] = parsed.scenario.manifests.map((m, i) =>
    'inline' in m
      ? { name: `${name} manifests[${i}]`, content: m.inline }
      : { name: m.path, content: readFileSync(join(dirname(path), m.path), 'utf8') },
  );
  return { manifests, steps: parsed.scenario.steps };
}

function run(name: string): ScenarioResult {
  return runScenario(read(name));
}

function stepMismatches(expectation: StepExpectation, step: StepResult | undefined): string[] {
  if (!step) return [`step ${expectation.step} does not exist`];
  const { step: _n, because: _why, view, ...fields } = expectation;
  const problems = mismatches(fields, { kind: step.kind, ...step.result });
  if (view)
    problems.push(
      ...('view' in step.result
        ? viewMismatches(view, step.result.view)
        : ['expected a view step']),
    );
  return problems;
}

describe.each(names)('scenario %s', (name) => {
  const expectFile = join(DIR, `${name}.expect.yaml`);
  const expected = parse(readFileSync(expectFile, 'utf8')) as {
    issues?: unknown;
    steps: StepExpectation[];
  };
  let result: ScenarioResult;
  beforeAll(() => {
    result = run(name);
  });

  it('loads without errors', () => {
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  if (expected.issues !== undefined)
    it('reports the expected load issues', () => {
      expect(mismatches(expected.issues, result.issues, 'issues')).toEqual([]);
    });

  it.each(
    expected.steps.map((e) => [`step ${e.step}: ${e.because ?? 'as documented'}`, e] as const),
  )('%s', (_title, expectation) => {
    const problems = stepMismatches(expectation, result.steps[expectation.step - 1]);
    expect(problems).toEqual([]);
  });

  it('is deterministic: a second run is byte-identical', () => {
    expect(JSON.stringify(run(name))).toBe(JSON.stringify(result));
  });

  // runSteps shares the cluster with read-only steps instead of copying it (the hosted workers
  // keep one loaded cluster per revision for every run), which is only sound if they never write.
  it('probes, DNS lookups and views leave the cluster as it was', () => {
    const { manifests, steps } = read(name);
    const state = loadCluster(manifests).state;
    if (!state) throw new Error(`scenario ${name} does not load`);
    const before = structuredClone(state);
    const readOnly = steps.filter((step) => 'probe' in step || 'dns' in step || 'get' in step);
    expect(readOnly.length).toBeGreaterThan(0);
    runSteps(state, readOnly);
    expect(state).toEqual(before);
  });
});
