import { evaluateConnection, type ClusterState, type Pod, type Protocol } from './engine';

/**
 * `--assert-open FROM->TO[:PORT]` / `--assert-closed …` for matrix and diff: FROM and TO are a pod
 * (`ns/name`) or a workload (`ns/name` of a Deployment, StatefulSet, DaemonSet or ReplicaSet: all
 * its pods); a bare name is in the command's namespace. PORT defaults to the command's --port.
 */
export interface ConnectionAssertion {
  text: string;
  open: boolean;
  from: string;
  to: string;
  port?: number;
}

const ASSERTION = /^([^\s>]+?)->([^\s:]+)(?::(\d{1,5}))?$/;

export function parseConnectionAssertion(
  text: string,
  open: boolean,
  namespace: string,
): { ok: true; assertion: ConnectionAssertion } | { ok: false; message: string } {
  const match = ASSERTION.exec(text.trim());
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65535)))
    return { ok: false, message: 'must be FROM->TO or FROM->TO:PORT (pods or workloads, ns/name)' };
  const qualify = (ref: string) => (ref.includes('/') ? ref : `${namespace}/${ref}`);
  return {
    ok: true,
    assertion: { text, open, from: qualify(match[1]), to: qualify(match[2]), port },
  };
}

/** The running pods a side names: the pod itself, or every pod its workload owns. */
function podsNamed(state: ClusterState, ref: string): Pod[] {
  const direct = state.pods.get(ref);
  if (direct) return direct.ip ? [direct] : [];
  const [namespace, name] = ref.split('/', 2);
  return [...state.pods.values()].filter((pod) => {
    if (pod.namespace !== namespace || !pod.ip || pod.terminating || !pod.owner) return false;
    if (pod.owner.name === name) return true;
    // A Deployment owns its pods through a ReplicaSet.
    const replicaSet =
      pod.owner.kind === 'ReplicaSet'
        ? state.replicaSets.get(`${namespace}/${pod.owner.name}`)
        : null;
    return replicaSet?.owner?.kind === 'Deployment' && replicaSet.owner.name === name;
  });
}

export interface AssertionOutcome {
  /** Lines for stderr: a side naming no running pod (bad input), or an assertion that failed. */
  badInput: string[];
  failed: string[];
}

/**
 * Judges each assertion with the policy evaluator the matrix is checked against: open means every
 * pod of FROM reaches every pod of TO on the port; closed means none does.
 */
export function checkConnectionAssertions(
  state: ClusterState,
  assertions: ConnectionAssertion[],
  defaults: { port: number; protocol: Protocol },
): AssertionOutcome {
  const outcome: AssertionOutcome = { badInput: [], failed: [] };
  for (const assertion of assertions) {
    const sides = [assertion.from, assertion.to].map((ref) => ({
      ref,
      pods: podsNamed(state, ref),
    }));
    const missing = sides.filter((side) => side.pods.length === 0);
    for (const side of missing)
      outcome.badInput.push(
        `${assertion.open ? '--assert-open' : '--assert-closed'} ${assertion.text}: no running pod or workload "${side.ref}"`,
      );
    if (missing.length) continue;
    const port = assertion.port ?? defaults.port;
    const wrong: string[] = [];
    for (const src of sides[0].pods)
      for (const dst of sides[1].pods) {
        const allowed =
          src === dst ||
          evaluateConnection(state, {
            src: { kind: 'pod', pod: src },
            dst: { kind: 'pod', pod: dst },
            protocol: defaults.protocol,
            port,
          }).allowed;
        if (allowed !== assertion.open)
          wrong.push(`${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name}`);
      }
    if (wrong.length) {
      const state = assertion.open ? 'denied' : 'allowed';
      const shown =
        wrong.slice(0, 3).join(', ') + (wrong.length > 3 ? `, + ${wrong.length - 3} more` : '');
      outcome.failed.push(
        `expected ${assertion.from}->${assertion.to}:${port}/${defaults.protocol} ${assertion.open ? 'open' : 'closed'}, but ${state}: ${shown}`,
      );
    }
  }
  return outcome;
}
