/**
 * The label a suggested policy should select a pod by: stable across restarts and rollouts, and
 * as specific as the pod's labels allow. Labels controllers stamp per revision or per replica are
 * left out: pod-template-hash changes on every Deployment rollout (controllers/pod-template-hash.ts),
 * controller-revision-hash on every StatefulSet/DaemonSet revision, pod-template-generation on
 * DaemonSet updates, and the per-pod StatefulSet labels would select a single replica.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Labels, Pod } from '../model/resources';

const UNSTABLE_LABELS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
]);

/** Preferred when two labels select equally few pods: the conventional "which app is this" keys. */
const CONVENTIONAL_KEYS = [
  'app.kubernetes.io/name',
  'app',
  'k8s-app',
  'name',
  'role',
  'component',
  'app.kubernetes.io/component',
];

/** The stable label (one key) selecting the fewest pods of the pod's namespace; null when the pod has none. */
export function stableLabel(state: ClusterState, pod: Pod): Labels | null {
  const candidates = Object.entries(pod.labels).filter(([key]) => !UNSTABLE_LABELS.has(key));
  if (candidates.length === 0) return null;
  const neighbours = [...state.pods.values()].filter((p) => p.namespace === pod.namespace);
  const reach = (key: string, value: string) =>
    neighbours.filter((p) => p.labels[key] === value).length;
  const rank = (key: string) => {
    const i = CONVENTIONAL_KEYS.indexOf(key);
    return i === -1 ? CONVENTIONAL_KEYS.length : i;
  };
  const [key, value] = [...candidates].sort(
    ([ka, va], [kb, vb]) =>
      reach(ka, va) - reach(kb, vb) || rank(ka) - rank(kb) || ka.localeCompare(kb),
  )[0];
  return { [key]: value };
}

/** A short DNS-1123 name part for a pod: its stable label value, else its name. */
export function nameFor(state: ClusterState, pod: Pod): string {
  const label = stableLabel(state, pod);
  const raw = label ? Object.values(label)[0] : pod.name;
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned.slice(0, 60) || 'pod';
}
