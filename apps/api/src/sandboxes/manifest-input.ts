// Manifests arrive as YAML text or as a JSON array of objects; both are stored as YAML text (what
// the user would `kubectl apply`) and validated at once with the engine, so a bad manifest is a 422
// naming the document, object and field rather than a failed run later.
import { loadCluster, type EngineIssue } from '@netplay/engine';
import { revisionManifests } from '@netplay/jobs';
import { stringify } from 'yaml';
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

/** YAML text from either accepted shape; a wrong shape is a 400 naming the field. */
export function manifestsText(input: unknown): string {
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
    return input.map((item) => stringify(item)).join('---\n');
  }
  throw invalidShape('manifests must be YAML text or an array of Kubernetes objects', 'manifests');
}

/** The engine's warnings for valid manifests; throws 422 with every issue when any is an error. */
export function validateManifests(text: string): ManifestIssueView[] {
  const result = loadCluster([{ name: MANIFESTS_FILE_NAME, content: text }]);
  const issues = result.issues.map(issueView);
  if (result.state === null) {
    const errors = issues.filter((issue) => issue.severity === 'error');
    const first = errors[0];
    throw new ApiError(
      'invalid-manifests',
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
export function validateClusterSettings(settings: Record<string, unknown> | undefined): void {
  if (settings === undefined) return;
  const result = loadCluster(revisionManifests({ manifests: '', clusterSettings: settings }));
  const errors = result.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => ({
      field: `clusterSettings${issue.path ? issue.path.replace(/^spec/, '') : ''}`,
      code: issue.code,
      message: issue.message,
    }));
  const first = errors[0];
  if (first)
    throw new ApiError(
      'invalid-manifests',
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
