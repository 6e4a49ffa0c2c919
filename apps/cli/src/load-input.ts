import { EXIT_BAD_INPUT, type CliIO, type Output } from './cli-io';
import { formatIssue, loadCluster, type ClusterState, type EngineIssue } from './engine';
import { readManifestFiles } from './read-inputs';

export interface LoadedInput {
  state: ClusterState;
  /** The load's warnings, for `--json` output (they also went to stderr). */
  issues: EngineIssue[];
}

export interface LoadSettings {
  /** `-n NS`: the namespace of objects that name none, as `kubectl apply -n` sets it. */
  namespace?: string;
  /**
   * Whether an object naming another namespace is an error (kubectl's rule for `-n`). Commands that
   * show one namespace of the cluster (get, explain, matrix, diff) turn it off, so a dump of many
   * namespaces can be looked at one namespace at a time, as `kubectl get -n` does on a cluster.
   */
  enforceNamespace?: boolean;
  /** Whether the load's warnings go to stderr (default); lint prints them with its findings instead. */
  warningsOnStderr?: boolean;
}

/**
 * Reads FILE arguments and builds the cluster. Errors (and warnings) go to stderr; null means
 * the command must stop with EXIT_BAD_INPUT.
 */
export function loadInput(
  paths: string[],
  io: CliIO,
  output: Output,
  settings: LoadSettings = {},
): LoadedInput | null {
  const read = readManifestFiles(paths, io);
  for (const error of read.errors) output.err(`error: ${error}`);
  if (read.errors.length) return null;
  const loaded = loadCluster(read.files, {
    ...(settings.namespace !== undefined ? { defaultNamespace: settings.namespace } : {}),
    enforceNamespace: settings.enforceNamespace ?? true,
  });
  for (const issue of loaded.issues)
    if (settings.warningsOnStderr !== false || issue.severity === 'error')
      output.err(`${issue.severity}: ${formatIssue(issue)}`);
  return loaded.state ? { state: loaded.state, issues: loaded.issues } : null;
}

export { EXIT_BAD_INPUT };
