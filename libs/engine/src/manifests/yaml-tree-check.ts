import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { IssueCode } from '../model/issues';
import type { InputLimits } from './manifest-set';

/** The YAML 1.2 core schema's tags: anything else (`!!binary`, `!!set`, `!foo`) is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

export interface TreeProblem {
  code: IssueCode;
  message: string;
  /** Offset in the document's text, for the line number. */
  offset?: number;
}

/**
 * One iterative pass over a parsed document's node tree, before it becomes a value: duplicate keys
 * (a Set per mapping, so linear in the keys, where the parser's own check compares every pair),
 * keys that are not scalars, tags outside the core schema, mappings with more keys and scalars
 * longer than the limits. Aliases are not followed: their target is checked where it stands.
 */
export function yamlTreeProblem(
  root: unknown,
  limits: Pick<InputLimits, 'maxMappingKeys' | 'maxScalarLength'>,
): TreeProblem | null {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || isAlias(node)) continue;
    const tagged = tagProblem(node as Node);
    if (tagged) return tagged;
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.length > limits.maxScalarLength)
        return {
          code: 'LIMIT_EXCEEDED',
          message: `a scalar of ${node.value.length} characters is longer than the limit of ${limits.maxScalarLength}`,
          offset: node.range?.[0],
        };
    } else if (isMap(node)) {
      if (node.items.length > limits.maxMappingKeys)
        return {
          code: 'LIMIT_EXCEEDED',
          message: `a mapping of ${node.items.length} keys has more than the limit of ${limits.maxMappingKeys}`,
          offset: node.range?.[0],
        };
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key))
          return {
            code: 'INVALID_FIELD',
            message: 'mapping keys must be strings, numbers or booleans',
            offset: (key as Node | null)?.range?.[0],
          };
        // The value's JavaScript key: `1` and "1" are one key of the object they become.
        const name = String(key.value);
        if (keys.has(name))
          return {
            code: 'YAML_SYNTAX',
            message: `Map keys must be unique ("${excerpt(name)}" is repeated)`,
            offset: key.range?.[0],
          };
        keys.add(name);
        stack.push(key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return null;
}

function tagProblem(node: Node): TreeProblem | null {
  const tag = node.tag;
  if (tag === undefined || CORE_TAGS.has(tag)) return null;
  return {
    code: 'INVALID_FIELD',
    message: `tag "${excerpt(tag)}" is not supported (only the YAML 1.2 core schema's tags are)`,
    offset: node.range?.[0],
  };
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
