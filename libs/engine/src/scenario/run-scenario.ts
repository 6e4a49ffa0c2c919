import type { ClusterState } from '../model/cluster-state';
import { DEFAULT_LIMITS, type InputLimits } from '../manifests/manifest-set';
import { loadCluster } from '../load-cluster';
import { cloneState } from '../controllers/mutations';
import { traceProbe } from '../trace/probe';
import { dnsProbe } from '../trace/dns-probe';
import { getView } from '../views/get-view';
import { describePodChanges, snapshotPods } from './pod-changes';
import type { MutationStep, ScenarioInput, ScenarioResult, Step, StepKind, StepResult } from './scenario-types';
import { applyStepMutation } from './step-mutation';

/**
 * Builds the cluster from the manifests, then runs the steps in order against that one evolving
 * cluster. Pure and deterministic: the same input gives byte-identical results. Steps do not
 * run when the manifests have errors.
 */
export function runScenario(input: ScenarioInput): ScenarioResult {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const loaded = loadCluster(input.manifests, { limits });
  if (!loaded.state) return { issues: loaded.issues, steps: [] };
  return { issues: loaded.issues, steps: runOn(loaded.state, input.steps, limits) };
}

/** Runs steps against a copy of an existing cluster; `state` itself is left untouched. */
export function runSteps(state: ClusterState, steps: Step[], limits: Partial<InputLimits> = {}): StepResult[] {
  return runOn(cloneState(state), steps, { ...DEFAULT_LIMITS, ...limits });
}

function runOn(state: ClusterState, steps: Step[], limits: InputLimits): StepResult[] {
  return steps.map((step, index) => {
    const kind = stepKind(step);
    const head = { index, ...(step.name !== undefined ? { name: step.name } : {}), kind };
    return { ...head, result: runStep(state, step, index, limits) };
  });
}

function runStep(state: ClusterState, step: Step, index: number, limits: InputLimits): StepResult['result'] {
  if ('probe' in step) return traceProbe(state, step.probe);
  if ('dns' in step) return dnsProbe(state, step.dns);
  if ('get' in step) {
    const g = step.get;
    const view = getView(state, g.kind, { namespace: g.namespace, all: g.allNamespaces, wide: g.wide, output: g.output, showLabels: g.showLabels, name: g.name, pod: g.pod, node: g.node });
    return { view: view.text, issues: view.issues };
  }
  const before = snapshotPods(state);
  const applied = applyStepMutation(state, step as MutationStep, `step ${index + 1}`, limits);
  const changes = describePodChanges(before, snapshotPods(state));
  return { mutation: [applied.summary, ...changes].join('\n'), issues: applied.issues };
}

function stepKind(step: Step): StepKind {
  return Object.keys(step).find((k) => k !== 'name') as StepKind;
}
