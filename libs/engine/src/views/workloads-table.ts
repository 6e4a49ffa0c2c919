import type { ClusterState } from '../model/cluster-state';
import type {
  DaemonSet,
  Labels,
  Pod,
  PodTemplate,
  ReplicationController,
  StatefulSet,
} from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { ageOf } from './age';
import { formatSelector } from './deployments-table';
import { formatTable, noResources } from './kubectl-table';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';
import { sortedLabels } from './pods-table';

/**
 * `kubectl get statefulsets|replicasets|daemonsets` with kubectl's printer columns
 * (pkg/printers/internalversion/printers.go), the wide ones after -o wide. Rollouts are immediate
 * in the engine, so every live pod is up to date, and available means ready (minReadySeconds 0).
 */
export function getStatefulSets(state: ClusterState, options: ListOptions = {}): string {
  return workloadTable(
    selectNamespaced(state.statefulSets.values(), options),
    options,
    { headers: ['NAME', 'READY', 'AGE'], wide: ['CONTAINERS', 'IMAGES'] },
    (s: StatefulSet) => {
      const pods = livePods(
        clusterIndex(state).podsByOwnerWorkload.get(`${s.namespace}/${s.name}`),
      );
      return [s.name, `${readyCount(pods)}/${s.replicas}`, ageOf(s)];
    },
    (s) => [...templateCells(s.template)],
  );
}

export function getReplicaSets(state: ClusterState, options: ListOptions = {}): string {
  return replicasTable(state, 'ReplicaSet', state.replicaSets.values(), options);
}

/** `kubectl get rc`: the ReplicaSet columns (printers.go printReplicationController). */
export function getReplicationControllers(state: ClusterState, options: ListOptions = {}): string {
  return replicasTable(
    state,
    'ReplicationController',
    state.replicationControllers.values(),
    options,
  );
}

/** NAME DESIRED CURRENT READY AGE (CONTAINERS IMAGES SELECTOR) of the sets that own their pods directly. */
function replicasTable(
  state: ClusterState,
  kind: 'ReplicaSet' | 'ReplicationController',
  sets: Iterable<ReplicationController>,
  options: ListOptions,
): string {
  return workloadTable(
    selectNamespaced(sets, options),
    options,
    {
      headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    },
    (set) => {
      // The workload index files a Deployment's pods under the Deployment, so look at the owner itself.
      const pods = livePods(
        [...state.pods.values()].filter(
          (p) =>
            p.namespace === set.namespace && p.owner?.kind === kind && p.owner.name === set.name,
        ),
      );
      return [
        set.name,
        String(set.replicas),
        String(pods.length),
        String(readyCount(pods)),
        ageOf(set),
      ];
    },
    (set) => [...templateCells(set.template), formatSelector(set.selector)],
  );
}

export function getDaemonSets(state: ClusterState, options: ListOptions = {}): string {
  return workloadTable(
    selectNamespaced(state.daemonSets.values(), options),
    options,
    {
      headers: [
        'NAME',
        'DESIRED',
        'CURRENT',
        'READY',
        'UP-TO-DATE',
        'AVAILABLE',
        'NODE SELECTOR',
        'AGE',
      ],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    },
    (ds: DaemonSet) => {
      // The controller made one pod per node the template fits, so the pods are the desired count.
      const pods = livePods(
        clusterIndex(state).podsByOwnerWorkload.get(`${ds.namespace}/${ds.name}`),
      );
      const scheduled = pods.filter((p) => p.nodeName).length;
      const ready = String(readyCount(pods));
      return [
        ds.name,
        String(pods.length),
        String(scheduled),
        ready,
        String(scheduled),
        ready,
        // labels.FormatLabels: pairs sorted by key, `<none>` when empty.
        sortedLabels(ds.template.nodeSelector),
        ageOf(ds),
      ];
    },
    (ds) => [...templateCells(ds.template), formatSelector(ds.selector)],
  );
}

function workloadTable<T extends { namespace: string; labels: Labels }>(
  items: T[],
  options: ListOptions,
  columns: { headers: string[]; wide: string[] },
  cells: (item: T) => string[],
  wideCells: (item: T) => string[],
): string {
  if (items.length === 0) return noResources(listedNamespace(options));
  const headers = [...columns.headers, ...(options.wide ? columns.wide : [])];
  if (options.showLabels) headers.push('LABELS');
  const rows = items.map((item) => ({
    namespace: item.namespace,
    cells: [
      ...cells(item),
      ...(options.wide ? wideCells(item) : []),
      ...(options.showLabels ? [sortedLabels(item.labels)] : []),
    ],
  }));
  const table = withNamespaceColumn(options, headers, rows);
  return formatTable(table.headers, table.rows);
}

function livePods(pods: Pod[] | undefined): Pod[] {
  return (pods ?? []).filter((p) => !p.terminating);
}

function readyCount(pods: Pod[]): number {
  return pods.filter((p) => p.phase === 'Running' && p.ready).length;
}

function templateCells(template: PodTemplate): [string, string] {
  return [
    template.containers.map((c) => c.name).join(','),
    template.containers.map((c) => c.image).join(','),
  ];
}
