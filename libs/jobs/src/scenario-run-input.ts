// Turns what the database stores for a run (its sandbox revision's manifests and cluster settings,
// and the run's steps as JSON) into the engine's input. Steps were validated when the run was
// submitted, but the row is read back as untyped JSON, so they are checked again with the
// scenario reader: a row written by an older API version must fail the run, never crash the worker.
import {
  formatIssue,
  readScenarioSteps,
  type EngineIssue,
  type ManifestFile,
  type Step,
} from '@netplay/engine';

export interface StoredRevisionInput {
  manifests: string;
  /** The spec of a `kind: Cluster` (netplay.dev/v1alpha1) document; `{}` keeps the defaults. */
  clusterSettings: unknown;
}

export interface StoredRunInput extends StoredRevisionInput {
  steps: unknown;
}

export type ScenarioRunInput =
  { ok: true; manifests: ManifestFile[]; steps: Step[] } | { ok: false; issues: EngineIssue[] };

/** File names the engine puts in front of issue messages, so a user can tell where a problem is. */
export const MANIFESTS_FILE_NAME = 'manifests.yaml';
export const CLUSTER_SETTINGS_FILE_NAME = 'cluster-settings';

export function scenarioRunInput(stored: StoredRunInput): ScenarioRunInput {
  const steps = scenarioSteps(stored.steps);
  if (!steps.ok) return steps;
  return { ok: true, manifests: revisionManifests(stored), steps: steps.steps };
}

/** The run's steps alone, checked as `scenarioRunInput` checks them. */
export function scenarioSteps(
  rawSteps: unknown,
): { ok: true; steps: Step[] } | { ok: false; issues: EngineIssue[] } {
  const read = readScenarioSteps(rawSteps ?? [], { path: 'steps', object: 'Run' });
  return read.steps ? { ok: true, steps: read.steps } : { ok: false, issues: read.issues };
}

/** The engine's files for a revision: its cluster settings (if any) in front of its manifests. */
export function revisionManifests(stored: StoredRevisionInput): ManifestFile[] {
  const manifests: ManifestFile[] = [];
  const settings = clusterSettingsManifest(stored.clusterSettings);
  if (settings) manifests.push(settings);
  manifests.push({ name: MANIFESTS_FILE_NAME, content: stored.manifests });
  return manifests;
}

/** The issues as one message: the run's `error`, one issue per line. */
export function formatIssues(issues: readonly EngineIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/**
 * Cluster settings become a `kind: Cluster` document (JSON is YAML), so the engine validates them
 * exactly as it does in a manifest file. Empty settings add nothing: the defaults apply.
 */
function clusterSettingsManifest(settings: unknown): ManifestFile | undefined {
  if (settings === null || settings === undefined) return undefined;
  if (
    typeof settings === 'object' &&
    !Array.isArray(settings) &&
    Object.keys(settings).length === 0
  )
    return undefined;
  const document = {
    apiVersion: 'netplay.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'sandbox' },
    spec: settings,
  };
  return { name: CLUSTER_SETTINGS_FILE_NAME, content: JSON.stringify(document) };
}
