import type { ClusterState } from '../model/cluster-state';
import { DEFAULT_LIMITS, type InputLimits } from '../manifests/manifest-set';
import { loadCluster } from '../cluster/load-cluster';
import { cloneState, forkForReading } from '../controllers/clone-state';
import { traceProbe } from '../probe/probe';
import { dnsProbe } from '../probe/dns-probe';
import { getView } from '../views/get-view';
import { describePodChanges, snapshotPods } from './pod-changes';
import type {
  MutationStep,
  ScenarioInput,
  ScenarioResult,
  Step,
  StepKind,
  StepResult,
} from './scenario-types';
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

/**
 * Runs steps against an existing cluster, leaving `state` itself untouched. Probes, DNS lookups and
 * views only read objects, so they run on a fork that shares them; the first step that changes the
 * cluster takes a full copy. A worker keeps one loaded cluster per revision for every run, and a run
 * of probes alone then costs no copy of a large cluster (nor a rebuild of its lookup indexes).
 */
export function runSteps(
  state: ClusterState,
  steps: Step[],
  limits: Partial<InputLimits> = {},
): StepResult[] {
  return runOn(forkForReading(state), steps, { ...DEFAULT_LIMITS, ...limits }, true);
}

function runOn(
  initial: ClusterState,
  steps: Step[],
  limits: InputLimits,
  copyBeforeChange = false,
): StepResult[] {
  let state = initial;
  return steps.map((step, index) => {
    const kind = stepKind(step);
    if (copyBeforeChange && state === initial && !isReadingStep(step)) state = cloneState(initial);
    const head = { index, ...(step.name !== undefined ? { name: step.name } : {}), kind };
    return { ...head, result: runStep(state, step, index, limits) };
  });
}

/**
 * A probe, DNS lookup or view: a step that changes no object of the cluster (it may advance the
 * bookkeeping `forkForReading` copies), and, on a loaded cluster, takes milliseconds.
 */
export function isReadingStep(step: Step): boolean {
  return READING_STEP_KINDS.has(stepKind(step));
}

const READING_STEP_KINDS: ReadonlySet<StepKind> = new Set(['probe', 'dns', 'get']);

function runStep(
  state: ClusterState,
  step: Step,
  index: number,
  limits: InputLimits,
): StepResult['result'] {
  if ('probe' in step) return traceProbe(state, step.probe);
  if ('dns' in step) return dnsProbe(state, step.dns);
  if ('get' in step) {
    const g = step.get;
    const view = getView(state, g.kind, {
      namespace: g.namespace,
      all: g.allNamespaces,
      wide: g.wide,
      output: g.output,
      showLabels: g.showLabels,
      name: g.name,
      pod: g.pod,
      node: g.node,
    });
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
