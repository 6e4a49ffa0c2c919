import { parse } from 'yaml';

export type KindDocumentProblemCode = 'YAML_SYNTAX' | 'NOT_AN_OBJECT' | 'INVALID_FIELD';

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
 * caller can list every problem at once. Duplicate keys are YAML errors (the yaml package's `uniqueKeys`).
 */
export function parseKindDocument(
  yamlText: string,
  shape: KindDocumentShape,
  problem: (path: string, message: string, code: KindDocumentProblemCode) => void,
): Record<string, unknown> | null {
  let doc: unknown;
  try {
    doc = parse(yamlText, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    problem('', `not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'YAML_SYNTAX');
    return null;
  }
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
