import { formatIssue } from '../model/issues';
import { DEFAULT_LIMITS, type ManifestSet } from './manifest-set';
import { parseYamlDocuments } from './parse-yaml';
import { readManifests } from './read-manifests';

/** Test helper: parses and reads YAML the way loadCluster does; throws on a parse problem. */
export function readYaml(yaml: string): ManifestSet {
  const parsed = parseYamlDocuments([{ content: yaml }], DEFAULT_LIMITS);
  if (parsed.issues.length) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  return readManifests(parsed.docs);
}

/** Test helper: the formatted issues of reading `yaml`. */
export function issuesOf(yaml: string): string[] {
  return readYaml(yaml).issues.map(formatIssue);
}
