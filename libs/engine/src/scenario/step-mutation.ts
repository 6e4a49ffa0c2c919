import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import type { InputLimits, ManifestSet } from '../manifests/manifest-set';
import { parseYamlDocuments } from '../manifests/parse-yaml';
import { readManifests } from '../manifests/read-manifests';
import { applyMutation, type Mutation } from '../cluster/mutations';
import { findPod } from '../trace/source';
import type { DeleteTarget, MutationStep } from './scenario-types';

/** Applies one mutation step in place; returns what it did in a sentence and the issues. */
export function applyStepMutation(
  state: ClusterState,
  step: MutationStep,
  label: string,
  limits: InputLimits,
): { summary: string; issues: EngineIssue[] } {
  const built = toMutation(state, step, label, limits);
  if ('issues' in built) return { summary: 'not applied', issues: built.issues };
  const issues = applyMutation(state, built.mutation);
  const failed = issues.some((i) => i.severity === 'error');
  return { summary: failed ? `${built.summary}: failed` : built.summary, issues };
}

function toMutation(
  state: ClusterState,
  step: MutationStep,
  label: string,
  limits: InputLimits,
): { mutation: Mutation; summary: string } | { issues: EngineIssue[] } {
  if ('scale' in step) {
    const s = step.scale;
    const [kind, name] =
      'deployment' in s ? ['deployment', s.deployment] : ['statefulset', s.statefulset];
    const namespace = s.namespace ?? 'default';
    return {
      mutation: { action: 'scale', target: `${kind}/${name}`, namespace, replicas: s.replicas },
      summary: `kubectl scale ${kind} ${name} -n ${namespace} --replicas=${s.replicas}`,
    };
  }
  if ('delete' in step) return deleteMutation(state, step.delete);
  if ('setReady' in step) {
    const pod = podByRef(state, step.setReady.pod, step.setReady.namespace);
    if ('issues' in pod) return pod;
    return {
      mutation: {
        action: 'set-ready',
        pod: pod.name,
        namespace: pod.namespace,
        ready: step.setReady.ready,
      },
      summary: `pod ${pod.namespace}/${pod.name} marked ${step.setReady.ready ? 'ready' : 'not ready'} (its readiness probe ${step.setReady.ready ? 'passes' : 'fails'})`,
    };
  }
  if ('cordon' in step)
    return {
      mutation: { action: 'cordon', node: step.cordon },
      summary: `kubectl cordon ${step.cordon}`,
    };
  if ('uncordon' in step)
    return {
      mutation: { action: 'uncordon', node: step.uncordon },
      summary: `kubectl uncordon ${step.uncordon}`,
    };
  if ('failNode' in step)
    return {
      mutation: { action: 'fail-node', node: step.failNode },
      summary: `node ${step.failNode} fails (NotReady)`,
    };
  if ('recoverNode' in step)
    return {
      mutation: { action: 'recover-node', node: step.recoverNode },
      summary: `node ${step.recoverNode} recovers (Ready)`,
    };
  const content = 'apply' in step ? step.apply : step.deleteManifest;
  const set = manifestSet(content, label, limits);
  if ('issues' in set) return set;
  return 'apply' in step
    ? { mutation: { action: 'apply', set: set.set }, summary: 'kubectl apply -f -' }
    : { mutation: { action: 'delete-manifest', set: set.set }, summary: 'kubectl delete -f -' };
}

function deleteMutation(
  state: ClusterState,
  target: DeleteTarget,
): { mutation: Mutation; summary: string } | { issues: EngineIssue[] } {
  const namespace = target.namespace ?? 'default';
  if ('pod' in target) {
    const pod = podByRef(state, target.pod, namespace);
    if ('issues' in pod) return pod;
    const picked = pod.name === target.pod ? '' : ` (the first ready pod of ${target.pod})`;
    return {
      mutation: { action: 'delete', target: `pod/${pod.name}`, namespace },
      summary: `kubectl delete pod ${pod.name} -n ${namespace}${picked}`,
    };
  }
  const [kind, name] = Object.entries(target).find(([k]) => k !== 'namespace') as [string, string];
  return {
    mutation: { action: 'delete', target: `${kind}/${name}`, namespace },
    summary: `kubectl delete ${kind} ${name} -n ${namespace}`,
  };
}

/**
 * Pod names carry random suffixes, so a scenario may name the workload instead: `website`
 * deletes the first ready pod of Deployment website, as a learner would pick one from `get pods`.
 */
function podByRef(
  state: ClusterState,
  ref: string,
  namespace = 'default',
): { name: string; namespace: string } | { issues: EngineIssue[] } {
  const found = findPod(state, ref.includes('/') ? ref : `${namespace}/${ref}`);
  if (!found.ok)
    return {
      issues: [
        {
          severity: 'error',
          code: 'NOT_FOUND',
          message: `pods "${ref}" not found: ${found.message}`,
        },
      ],
    };
  return { name: found.pod.name, namespace: found.pod.namespace };
}

function manifestSet(
  content: string,
  label: string,
  limits: InputLimits,
): { set: ManifestSet } | { issues: EngineIssue[] } {
  const parsed = parseYamlDocuments([{ name: label, content }], limits);
  if (parsed.issues.some((i) => i.severity === 'error')) return { issues: parsed.issues };
  const set: ManifestSet = readManifests(parsed.docs);
  if (set.issues.some((i) => i.severity === 'error')) return { issues: set.issues };
  return { set };
}
