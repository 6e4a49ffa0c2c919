// Manifests arrive as YAML text or as a JSON array of objects; both are stored as YAML text (what
// the user would `kubectl apply`) and validated at once with the engine, so a bad manifest is a 422
// naming the document, object and field rather than a failed run later.
import type { EngineIssue } from '@netplay/engine';
import { revisionManifests } from '@netplay/jobs';
import type { ApiEngine } from '../engine/api-engine';
import { ApiError } from '../errors/api-error';

/** Stored manifests are validated under this name; issues refer to it as `file`. */
export const MANIFESTS_FILE_NAME = 'manifests';

export interface ManifestIssueView {
  severity: EngineIssue['severity'];
  code: EngineIssue['code'];
  message: string;
  doc?: number;
  object?: string;
  path?: string;
}

/**
 * YAML text from either accepted shape; a wrong shape is a 400 naming the field. Objects are
 * written as YAML in the engine pool (1.5 MiB of them cost about half a second).
 */
export async function manifestsText(
  engine: ApiEngine,
  tenantId: string,
  input: unknown,
): Promise<string> {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    const notObject = input.findIndex(
      (item) => typeof item !== 'object' || item === null || Array.isArray(item),
    );
    if (notObject >= 0)
      throw invalidShape(
        `manifests[${notObject}] must be a Kubernetes object`,
        `manifests[${notObject}]`,
      );
    const objects = input as Record<string, unknown>[];
    return (await engine.run(tenantId, { kind: 'yaml-text', objects })).text;
  }
  throw invalidShape('manifests must be YAML text or an array of Kubernetes objects', 'manifests');
}

/**
 * The engine's warnings for valid manifests (validated in the engine pool); throws 422 with every
 * issue when any is an error: `engine-limit-exceeded` when the manifests would make more than the
 * engine's limits allow (replicas, pods, nodes, endpoints …), else `invalid-manifests`.
 */
export async function validateManifests(
  engine: ApiEngine,
  tenantId: string,
  text: string,
): Promise<ManifestIssueView[]> {
  const result = await engine.run(tenantId, {
    kind: 'validate',
    files: [{ name: MANIFESTS_FILE_NAME, content: text }],
  });
  const issues = result.issues.map(issueView);
  if (!result.loads) {
    const errors = issues.filter((issue) => issue.severity === 'error');
    const first = errors.find((issue) => issue.code === 'LIMIT_EXCEEDED') ?? errors[0];
    throw new ApiError(
      first?.code === 'LIMIT_EXCEEDED' ? 'engine-limit-exceeded' : 'invalid-manifests',
      first
        ? `manifests are invalid: ${describe(first)}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
        : 'manifests are invalid',
      { issues },
    );
  }
  return issues;
}

/**
 * Cluster settings are read by the engine's `kind: Cluster` reader, as runs will read them, when
 * they are written: a bad value is a 422 naming the field (`clusterSettings.podCIDR`), not a
 * failed run later.
 */
export async function validateClusterSettings(
  engine: ApiEngine,
  tenantId: string,
  settings: Record<string, unknown> | undefined,
): Promise<void> {
  if (settings === undefined) return;
  const result = await engine.run(tenantId, {
    kind: 'validate',
    files: revisionManifests({ manifests: '', clusterSettings: settings }),
  });
  const errors = result.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => ({
      field: `clusterSettings${issue.path ? issue.path.replace(/^spec/, '') : ''}`,
      code: issue.code,
      message: issue.message,
    }));
  const first = errors.find((error) => error.code === 'LIMIT_EXCEEDED') ?? errors[0];
  if (first)
    throw new ApiError(
      first.code === 'LIMIT_EXCEEDED' ? 'engine-limit-exceeded' : 'invalid-manifests',
      `clusterSettings are invalid: ${first.field}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      { issues: errors },
    );
}

function issueView(issue: EngineIssue): ManifestIssueView {
  return {
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
    ...(issue.doc === undefined ? {} : { doc: issue.doc }),
    ...(issue.object === undefined ? {} : { object: issue.object }),
    ...(issue.path === undefined ? {} : { path: issue.path }),
  };
}

function describe(issue: ManifestIssueView): string {
  const where = [
    issue.doc === undefined ? '' : `doc ${issue.doc}`,
    issue.object ?? '',
    issue.path ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

function invalidShape(message: string, field: string): ApiError {
  return new ApiError('validation-failed', message, [{ field, message }]);
}
