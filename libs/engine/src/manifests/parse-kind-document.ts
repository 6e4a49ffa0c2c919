import type { IssueCode } from '../model/issues';
import { formatBytes, utf8ByteLength } from './input-size';
import { DEFAULT_LIMITS } from './manifest-set';
import { readYamlValues } from './parse-yaml';

export type KindDocumentProblemCode =
  'YAML_SYNTAX' | 'NOT_AN_OBJECT' | 'INVALID_FIELD' | 'LIMIT_EXCEEDED';

export interface KindDocumentShape {
  apiVersion: string;
  kind: string;
  /** How the messages name the document, with its article: `a scenario`, `an exercise`. */
  described: string;
}

/**
 * Parses a single-document netplay file (`kind: Scenario`, `kind: Exercise`) into a mapping and checks its
 * apiVersion and kind. Every problem goes to `problem`; the mapping is null only when there is none to
 * read (bad YAML or not a mapping) — a wrong apiVersion or kind is reported and reading goes on, so the
 * caller can list every problem at once. The YAML goes through the manifests' checks (linear duplicate
 * keys, core schema tags, nesting, aliases, keys per mapping, scalar length), with their default limits.
 */
export function parseKindDocument(
  yamlText: string,
  shape: KindDocumentShape,
  problem: (path: string, message: string, code: KindDocumentProblemCode) => void,
): Record<string, unknown> | null {
  const bytes = utf8ByteLength(yamlText);
  if (bytes > DEFAULT_LIMITS.maxBytes) {
    problem(
      '',
      `${shape.described} of ${formatBytes(bytes)} is over the limit of ${formatBytes(DEFAULT_LIMITS.maxBytes)}`,
      'LIMIT_EXCEEDED',
    );
    return null;
  }
  const values: unknown[] = [];
  let failed = false;
  readYamlValues(yamlText, DEFAULT_LIMITS, {
    nextDocument: () => values.length + 1,
    fail: (code, message) => {
      failed = true;
      problem('', `not valid YAML: ${message}`, problemCode(code));
    },
    value: (value) => values.push(value) > 0,
  });
  if (failed) return null;
  if (values.length > 1) {
    problem('', `${shape.described} is one YAML document, not ${values.length}`, 'YAML_SYNTAX');
    return null;
  }
  const doc = values[0];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    problem('', `${shape.described} must be a YAML mapping`, 'NOT_AN_OBJECT');
    return null;
  }
  const mapping = doc as Record<string, unknown>;
  if (mapping.apiVersion !== shape.apiVersion)
    problem('apiVersion', `must be ${shape.apiVersion}`, 'INVALID_FIELD');
  if (mapping.kind !== shape.kind) problem('kind', `must be ${shape.kind}`, 'INVALID_FIELD');
  return mapping;
}

function problemCode(code: IssueCode): KindDocumentProblemCode {
  if (code === 'YAML_SYNTAX' || code === 'INVALID_FIELD') return code;
  // Nesting, aliases and sizes: limits, whatever the parser called them.
  return 'LIMIT_EXCEEDED';
}
