import { EXIT_BAD_INPUT, type CliIO, type Output } from './cli-io';
import { formatIssue, loadCluster, type ClusterState } from './engine';
import { readManifestFiles } from './read-inputs';

/**
 * Reads FILE arguments and builds the cluster. Errors (and warnings) go to stderr; null means
 * the command must stop with EXIT_BAD_INPUT.
 */
export function loadInput(paths: string[], io: CliIO, output: Output): ClusterState | null {
  const read = readManifestFiles(paths, io);
  for (const error of read.errors) output.err(`error: ${error}`);
  if (read.errors.length) return null;
  const loaded = loadCluster(read.files);
  for (const issue of loaded.issues) output.err(`${issue.severity}: ${formatIssue(issue)}`);
  return loaded.state;
}

export { EXIT_BAD_INPUT };
