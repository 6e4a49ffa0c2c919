/**
 * What `lint` and the connectivity matrix say about objects the engine keeps but does not
 * simulate: each one with the pods or Services it applies to, so a learner sees which answers of
 * the engine such an object could change.
 */
import type { ClusterState } from '../model/cluster-state';
import { objectRef, type EngineIssue } from '../model/issues';
import { unsimulatedReach, type UnsimulatedMention } from './unsimulated-reach';
import type { ObjectReach } from './object-reach';

const LISTED = 3;

function listed(refs: string[]): string {
  const shown = refs.slice(0, LISTED).join(', ');
  return refs.length > LISTED ? `${shown} and ${refs.length - LISTED} more` : shown;
}

function appliesTo(mention: UnsimulatedMention, reach: ObjectReach): string {
  const pods = reach.pods.map((p) => `${p.namespace}/${p.name}`);
  const services = reach.services.map((s) => `${s.namespace}/${s.name}`);
  const parts: string[] = [];
  if (pods.length) {
    const verb = mention.concern === 'policy' ? 'selects' : 'routes requests in';
    parts.push(`${verb} ${pods.length} pod${pods.length === 1 ? '' : 's'} (${listed(pods)})`);
  }
  if (services.length) {
    const verb = mention.concern === 'policy' ? 'applies to' : 'routes requests to';
    parts.push(`${verb} Service${services.length === 1 ? '' : 's'} ${listed(services)}`);
  }
  return parts.join(' and ');
}

/** One warning per such object: what it applies to here, or that it applies to nothing. */
export function lintUnsimulated(state: ClusterState): EngineIssue[] {
  return unsimulatedReach(state).objects.map(({ mention, reach }) => {
    const [namespace, name] = mention.object.includes('/')
      ? mention.object.split('/')
      : [undefined, mention.object];
    const what = appliesTo(mention, reach);
    const effect =
      mention.concern === 'policy'
        ? 'probes through them are judged without it, and the real verdict may differ'
        : 'probes through them are routed without it, and the real routing may differ';
    const assumed = mention.unreadable
      ? ` (${mention.unreadable}: assumed to select every pod in its scope)`
      : '';
    return {
      severity: 'warning',
      code: 'NOT_SIMULATED',
      object: objectRef(mention.kind, namespace, name),
      message: what
        ? `${mention.product}'s ${mention.kind} ${what}${assumed}; not simulated: ${effect}`
        : `${mention.product}'s ${mention.kind} applies to no pod or Service of this cluster; not simulated`,
    };
  });
}

/** Matrix notes: the other implementations' policies that select pods of the matrix. */
export function unsimulatedPolicyNotes(state: ClusterState): string[] {
  return unsimulatedReach(state)
    .objects.filter(({ mention, reach }) => mention.concern === 'policy' && reach.pods.length)
    .map(
      ({ mention, reach }) =>
        `${mention.product}'s ${mention.kind} ${mention.object} selects ${reach.pods.length} pod${reach.pods.length === 1 ? '' : 's'}; not simulated: their rows and columns may differ in the cluster`,
    );
}
