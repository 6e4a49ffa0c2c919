// Inspection without a job: the engine builds the sandbox's cluster in the request (it is pure and
// fast for sandbox-sized input) and renders the view as text (what kubectl or the node's tool
// prints) or JSON. Built clusters are kept per (sandbox, version): a version never changes.
import {
  getView,
  loadCluster,
  resolveKind,
  type ClusterState,
  type EngineIssue,
} from '@netplay/engine';
import type { SandboxRecord } from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { MANIFESTS_FILE_NAME } from './manifest-input';

export interface SandboxViewRequest {
  kind: string;
  pod?: string;
  node?: string;
  namespace?: string;
  /** kube-proxy-rules: kube-proxy's own rule input only. */
  kubeProxyOnly?: boolean;
  format: 'text' | 'json';
}

export type SandboxViewResult =
  { format: 'text'; text: string } | { format: 'json'; body: unknown };

const RESOURCE_KINDS = new Set([
  'pods',
  'services',
  'endpointslices',
  'nodes',
  'deployments',
  'namespaces',
  'ingresses',
]);
const CACHED_CLUSTERS = 32;
const clusters = new Map<string, ClusterState>();

export function renderSandboxView(
  sandbox: SandboxRecord,
  request: SandboxViewRequest,
): SandboxViewResult {
  const kind = resolveKind(request.kind);
  if (!kind) throw new ApiError('not-found', `unknown view "${request.kind}"`);
  const state = clusterOf(sandbox);
  const structured = request.format === 'json' && RESOURCE_KINDS.has(kind);
  const view = getView(state, kind, {
    pod: request.pod,
    node: request.node,
    namespace: request.namespace,
    kubeProxyOnly: request.kubeProxyOnly,
    output: structured ? 'json' : undefined,
  });
  const error = view.issues.find((issue) => issue.severity === 'error');
  if (error) throw viewError(error);
  if (request.format === 'text') return { format: 'text', text: view.text };
  return { format: 'json', body: structured ? JSON.parse(view.text) : { kind, text: view.text } };
}

function clusterOf(sandbox: SandboxRecord): ClusterState {
  const key = `${sandbox.id}@${sandbox.version}`;
  const cached = clusters.get(key);
  if (cached) return cached;
  const loaded = loadCluster([{ name: MANIFESTS_FILE_NAME, content: sandbox.manifests }]);
  // Stored manifests were validated when written; an engine change can still reject them.
  if (!loaded.state)
    throw new ApiError('invalid-manifests', 'the stored manifests no longer load', {
      issues: loaded.issues,
    });
  clusters.set(key, loaded.state);
  while (clusters.size > CACHED_CLUSTERS) clusters.delete(clusters.keys().next().value ?? '');
  return loaded.state;
}

function viewError(issue: EngineIssue): ApiError {
  switch (issue.code) {
    case 'MISSING_FIELD': {
      const field =
        issue.message.startsWith('resolv.conf') || issue.message.startsWith('env') ? 'pod' : 'node';
      return new ApiError('validation-failed', issue.message, [{ field, message: issue.message }]);
    }
    case 'NOT_FOUND':
    case 'UNKNOWN_KIND':
      return new ApiError('not-found', issue.message);
    default:
      return new ApiError('bad-request', issue.message);
  }
}
