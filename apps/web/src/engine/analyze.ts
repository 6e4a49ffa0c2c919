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
  severity: 'error' | 'warning';
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

export interface MatrixGrid {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** `namespace/name` of every pod outside kube-system, in row and column order. */
  pods: { id: string; namespace: string; name: string; ip: string }[];
  /** allowed[from][to] */
  allowed: boolean[][];
}

function hasBit(set: Uint32Array, index: number): boolean {
  return (set[index >>> 5] & (1 << (index & 31))) !== 0;
}

export function matrixGrid(
  input: AnalyzeInput,
  port: number,
  protocol: MatrixGrid['protocol'] = 'TCP',
): MatrixGrid | null {
  const { state } = loadSandbox(input.manifests, input.clusterSettings);
  if (!state) return null;
  const matrix = connectivityMatrix(state, { port, protocol });
  const kept = matrix.peers
    .map((peer, index) => ({ peer, index }))
    .filter(({ peer }) => peer.kind === 'pod' && peer.namespace !== 'kube-system');
  return {
    port,
    protocol,
    pods: kept.map(({ peer }) => ({
      id: peer.id,
      namespace: peer.namespace ?? '',
      name: peer.name ?? peer.id,
      ip: peer.ip ?? '',
    })),
    allowed: kept.map(({ index: from }) =>
      kept.map(({ index: to }) => hasBit(matrix.rows[from], to)),
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
