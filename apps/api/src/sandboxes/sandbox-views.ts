// Inspection without a job: the engine builds the sandbox's cluster in a thread of the engine pool
// and renders the view as text (what kubectl or the node's tool prints) or JSON. Each thread keeps
// built clusters per (sandbox, version): a version never changes.
import { resolveKind, type EngineIssue } from '@netplay/engine';
import type { SandboxRecord } from '@netplay/db';
import type { ApiEngine } from '../engine/api-engine';
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
export async function renderSandboxView(
  engine: ApiEngine,
  sandbox: SandboxRecord,
  request: SandboxViewRequest,
): Promise<SandboxViewResult> {
  const kind = resolveKind(request.kind);
  if (!kind) throw new ApiError('not-found', `unknown view "${request.kind}"`);
  const structured = request.format === 'json' && RESOURCE_KINDS.has(kind);
  const view = await engine.run(sandbox.tenantId, {
    kind: 'view',
    cacheKey: `${sandbox.id}@${sandbox.version}`,
    files: [{ name: MANIFESTS_FILE_NAME, content: sandbox.manifests }],
    view: kind,
    options: {
      pod: request.pod,
      node: request.node,
      namespace: request.namespace,
      kubeProxyOnly: request.kubeProxyOnly,
      output: structured ? 'json' : undefined,
    },
  });
  // Stored manifests were validated when written; an engine change can still reject them.
  if (!view.loads)
    throw new ApiError('invalid-manifests', 'the stored manifests no longer load', {
      issues: view.issues,
    });
  const error = view.issues.find((issue) => issue.severity === 'error');
  if (error) throw viewError(error);
  if (request.format === 'text') return { format: 'text', text: view.text };
  return { format: 'json', body: structured ? JSON.parse(view.text) : { kind, text: view.text } };
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
    case 'LIMIT_EXCEEDED':
      return new ApiError('engine-limit-exceeded', issue.message);
    default:
      return new ApiError('bad-request', issue.message);
  }
}
