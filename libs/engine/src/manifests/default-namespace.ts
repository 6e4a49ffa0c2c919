import { objectRef, type EngineIssue } from '../model/issues';
import { isObject } from './field-reader';
import { kindInfo } from './kinds';
import type { ParsedDoc } from './manifest-set';
import { nameProblem } from './validate-names';

export interface NamespaceOptions {
  /** The namespace of namespaced objects that name none, as `kubectl apply -n NS` sets it. */
  defaultNamespace: string;
  /**
   * Whether an object naming another namespace is an error: kubectl's resource builder refuses it
   * whenever `-n` is given (`the namespace from the provided object "a" does not match the
   * namespace "b"`).
   */
  enforce: boolean;
}

/**
 * Gives every namespaced object without `metadata.namespace` the default namespace, before the
 * objects are read. Kinds the engine does not know keep what they say: whether such a kind is
 * namespaced is the API server's knowledge (a cluster-scoped CRD must not get a namespace).
 */
export function applyDefaultNamespace(
  docs: ParsedDoc[],
  options: NamespaceOptions,
): { docs: ParsedDoc[]; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const problem = nameProblem(options.defaultNamespace, 'dns1123-label');
  if (problem) {
    const message = `namespace "${options.defaultNamespace}": ${problem}`;
    return { docs, issues: [{ severity: 'error', code: 'INVALID_NAME', message }] };
  }
  const result = docs.map((parsed) => {
    const value = parsed.value;
    if (!isObject(value) || typeof value.kind !== 'string') return parsed;
    if (!kindInfo(value.kind)?.namespaced) return parsed;
    const metadata = isObject(value.metadata) ? value.metadata : {};
    const given = typeof metadata.namespace === 'string' ? metadata.namespace : '';
    if (given === '')
      return {
        ...parsed,
        value: { ...value, metadata: { ...metadata, namespace: options.defaultNamespace } },
      };
    if (options.enforce && given !== options.defaultNamespace) {
      const name = typeof metadata.name === 'string' ? metadata.name : '';
      issues.push({
        severity: 'error',
        code: 'INVALID_FIELD',
        doc: parsed.doc,
        ...(parsed.file !== undefined ? { file: parsed.file } : {}),
        object: objectRef(value.kind, given, name),
        path: 'metadata.namespace',
        message: `the namespace from the provided object "${given}" does not match the namespace "${options.defaultNamespace}". You must pass '--namespace=${given}' to perform this operation.`,
      });
    }
    return parsed;
  });
  return { docs: result, issues };
}
