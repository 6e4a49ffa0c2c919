/**
 * What the page asks of the engine after every edit: validate the manifests, build the cluster,
 * run the current probe and read the picture. Pure (the engine is), so it runs in the Web Worker,
 * in the benchmark and in unit tests alike. A probe advances the cluster's seeded random stream
 * (kube-proxy's endpoint pick), so each analysis loads afresh: the same text and probe always give
 * the same trace, and it is the trace a one-probe server run of that revision records.
 */
import {
  connectivityMatrix,
  getView,
  groupMatrix,
  loadParsedDocuments,
  policyDiff,
  suggestFix,
  traceProbe,
  type ClusterState,
  type EngineIssue,
  type ManifestFile,
  type PolicyDiff,
  type PolicySuggestion,
  type ProbeSpec,
  type ProbeTrace,
} from '@netplay/engine';
import { clusterPicture, type ClusterPicture } from '../view/cluster-picture';
import { hopLocations } from '../view/hops';
import { locateIssues } from '../view/yaml-positions';
import { DocumentCache } from './document-cache';

/** One per worker: documents a keystroke did not touch are not parsed again. */
const documents = new DocumentCache();

export type ClusterSettings = Record<string, unknown>;

export interface AnalyzeInput {
  manifests: string;
  clusterSettings?: ClusterSettings;
  probe?: ProbeSpec | null;
}

export interface EditorIssue {
  severity: EngineIssue['severity'];
  code: string;
  message: string;
  object?: string;
  path?: string;
  line: number;
  from: number;
  to: number;
}

export interface Analysis {
  issues: EditorIssue[];
  picture: ClusterPicture | null;
  trace: ProbeTrace | null;
  /** One picture element id per hop of `trace`. */
  locations: string[];
  suggestion: PolicySuggestion | null;
}

/** The file the API stores the manifests as; the engine names it in issues. */
export const MANIFESTS_FILE = 'manifests.yaml';
const SETTINGS_FILE = 'cluster-settings.json';

/** Cluster settings become a `kind: Cluster` document first, exactly as a server run reads them. */
export function manifestFiles(manifests: string, settings?: ClusterSettings): ManifestFile[] {
  const files: ManifestFile[] = [];
  if (settings && Object.keys(settings).length > 0)
    files.push({
      name: SETTINGS_FILE,
      content: JSON.stringify({
        apiVersion: 'netplay.dev/v1alpha1',
        kind: 'Cluster',
        metadata: { name: 'sandbox' },
        spec: settings,
      }),
    });
  files.push({ name: MANIFESTS_FILE, content: manifests });
  return files;
}

export function loadSandbox(
  manifests: string,
  settings?: ClusterSettings,
): { state: ClusterState | null; issues: EditorIssue[] } {
  const files = manifestFiles(manifests, settings);
  const loaded = loadParsedDocuments(documents.parse(files));
  const docOffset = files.length - 1;
  const own = loaded.issues.filter((i) => i.file === undefined || i.file === MANIFESTS_FILE);
  const others = loaded.issues.filter((i) => i.file !== undefined && i.file !== MANIFESTS_FILE);
  const located = locateIssues(manifests, own, docOffset).map(({ issue, range, line }) =>
    editorIssue(issue, line, range.from, range.to),
  );
  return {
    state: loaded.state,
    issues: [...others.map((issue) => editorIssue(issue, 1, 0, 0)), ...located],
  };
}

function editorIssue(issue: EngineIssue, line: number, from: number, to: number): EditorIssue {
  return {
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
    ...(issue.object ? { object: issue.object } : {}),
    ...(issue.path ? { path: issue.path } : {}),
    line,
    from,
    to,
  };
}

export function analyze(input: AnalyzeInput): Analysis {
  const { state, issues } = loadSandbox(input.manifests, input.clusterSettings);
  if (!state) return { issues, picture: null, trace: null, locations: [], suggestion: null };
  const picture = clusterPicture(state);
  if (!input.probe) return { issues, picture, trace: null, locations: [], suggestion: null };
  const trace = traceProbe(state, input.probe);
  return {
    issues,
    picture,
    trace,
    locations: hopLocations(trace, picture),
    suggestion: suggestFix(state, input.probe, trace),
  };
}

export function viewText(
  input: AnalyzeInput,
  kind: string,
  options: { node?: string; pod?: string },
): string {
  const { state } = loadSandbox(input.manifests, input.clusterSettings);
  if (!state) return 'The manifests have errors: fix them to see this view.';
  const view = getView(state, kind, options);
  return view.text || view.issues.map((i) => i.message).join('\n');
}

export interface MatrixCellPeer {
  /** `namespace/name` of the group's first pod: the one a cell traces from or to. */
  id: string;
  ip: string;
}

export interface MatrixGroupRow {
  /** `default/client`, or `default/website-… (3 pods)` for a group of interchangeable pods. */
  label: string;
  members: string[];
  representative: MatrixCellPeer;
}

export interface MatrixGrid {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /**
   * Pods outside kube-system, grouped as the engine groups them: pods that reach and are reached by
   * exactly the same pods share a row and a column (docs/matrix.md).
   */
  groups: MatrixGroupRow[];
  /** allowed[from][to] over groups; within a group of several, the diagonal is member to member. */
  allowed: boolean[][];
}

function hasBit(set: Uint32Array, index: number): boolean {
  return (set[index >>> 5] & (1 << (index & 31))) !== 0;
}

/**
 * A group's row label: `default/website-5d7…` for pods sharing a name prefix (a Deployment's
 * pods), `default/*` for a namespace's pods, with the count.
 */
export function groupLabel(members: string[]): string {
  if (members.length === 1) return members[0];
  let prefix = members[0];
  for (const member of members) while (!member.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.slice(0, Math.max(prefix.lastIndexOf('-'), prefix.lastIndexOf('/')) + 1);
  const name = cut.endsWith('/')
    ? `${cut}*`
    : cut.includes('/')
      ? `${cut}…`
      : 'pods of several namespaces';
  return `${name} (${members.length} pods)`;
}

export function matrixGrid(
  input: AnalyzeInput,
  port: number,
  protocol: MatrixGrid['protocol'] = 'TCP',
): MatrixGrid | null {
  const { state } = loadSandbox(input.manifests, input.clusterSettings);
  if (!state) return null;
  const grouped = groupMatrix(connectivityMatrix(state, { port, protocol }));
  const kept = grouped.groups
    .map((group, index) => ({
      index,
      members: group.members.filter((m) => m.kind === 'pod' && m.namespace !== 'kube-system'),
    }))
    .filter(({ members }) => members.length > 0);
  return {
    port,
    protocol,
    groups: kept.map(({ members }) => ({
      label: groupLabel(members.map((m) => m.id)),
      members: members.map((m) => m.id),
      representative: { id: members[0].id, ip: members[0].ip ?? '' },
    })),
    allowed: kept.map(({ index: from }) =>
      kept.map(({ index: to }) => hasBit(grouped.rows[from], to)),
    ),
  };
}

/** Which pod-to-pod connections on a port a change between two revisions opens and closes. */
export function revisionPolicyDiff(
  before: AnalyzeInput,
  after: AnalyzeInput,
  port: number,
): PolicyDiff | null {
  const a = loadSandbox(before.manifests, before.clusterSettings).state;
  const b = loadSandbox(after.manifests, after.clusterSettings).state;
  if (!a || !b) return null;
  return policyDiff(a, b, { port, protocol: 'TCP' });
}
