import { appendAll } from '../util/append-all';
import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import {
  DEFAULT_LIMITS,
  type InputLimits,
  type ManifestFile,
  type ParsedDoc,
} from '../manifests/manifest-set';
import { parseYamlDocuments } from '../manifests/parse-yaml';
import { readManifests } from '../manifests/read-manifests';
import { createCluster } from './create-cluster';
import { policyIssues } from '../policy/read-policies';
import { httpRoutingIssues } from './http-routing-issues';
import { metalLbIssues } from '../load-balancer/metallb-validation';
import { applyDefaultNamespace } from '../manifests/default-namespace';

export interface LoadOptions {
  /** What is read (bytes, objects, nesting …) and what may be created (replicas, pods, nodes, endpoints). */
  limits?: Partial<InputLimits>;
  /** `kubectl apply -n NS`: the namespace of namespaced objects that name none (else `default`). */
  defaultNamespace?: string;
  /**
   * With `defaultNamespace`: an object naming another namespace is an error, as kubectl says when
   * `-n` is given (default true). False keeps such objects where they say, for a caller that reads
   * a dump of many namespaces to show one of them.
   */
  enforceNamespace?: boolean;
}

export interface LoadResult {
  /** Null when any error was found: a cluster is only built from fully valid input. */
  state: ClusterState | null;
  /** Errors and warnings, in input order. */
  issues: EngineIssue[];
}

/**
 * Manifests in, simulated cluster out: parse (with limits), validate every object, then let the
 * simulated API server and controllers create what `kubectl apply` of these files would give.
 */
export function loadCluster(files: ManifestFile[], options: LoadOptions = {}): LoadResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return loadParsedDocuments(parseYamlDocuments(files, limits), { ...options, limits });
}

/**
 * `loadCluster` after parsing: for a caller that parses documents itself (the playground re-parses
 * only the document a keystroke changed). `docs` and `issues` as `parseYamlDocuments` returns them;
 * Of `options.limits`, only what may be created applies here (the parse had the rest).
 */
export function loadParsedDocuments(
  parsed: { docs: ParsedDoc[]; issues: EngineIssue[] },
  options: LoadOptions = {},
): LoadResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (parsed.issues.some((i) => i.severity === 'error'))
    return { state: null, issues: parsed.issues };
  const namespaced =
    options.defaultNamespace !== undefined
      ? applyDefaultNamespace(parsed.docs, {
          defaultNamespace: options.defaultNamespace,
          enforce: options.enforceNamespace ?? true,
        })
      : { docs: parsed.docs, issues: [] };
  if (namespaced.issues.length)
    return { state: null, issues: [...parsed.issues, ...namespaced.issues] };
  const set = readManifests(namespaced.docs);
  const issues = [...parsed.issues, ...set.issues, ...policyIssues(set.objects)];
  issues.push(...httpRoutingIssues(set.objects), ...metalLbIssues(set.objects));
  if (issues.some((i) => i.severity === 'error')) return { state: null, issues };
  // `-n nowhere` names a namespace the user expects to exist: kubectl refuses it, so does the load.
  const created = createCluster(set, {
    limits: {
      maxReplicas: limits.maxReplicas,
      maxPods: limits.maxPods,
      maxNodes: limits.maxNodes,
      maxEndpoints: limits.maxEndpoints,
    },
    requiredNamespaces: options.defaultNamespace !== undefined ? [options.defaultNamespace] : [],
  });
  appendAll(issues, created.issues);
  if (issues.some((i) => i.severity === 'error')) return { state: null, issues };
  return { state: created.state, issues };
}
