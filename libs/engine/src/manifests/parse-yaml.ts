import { Composer, isScalar, LineCounter, Parser, type Document } from 'yaml';
import type { EngineIssue, IssueCode } from '../model/issues';
import { isObject } from './field-reader';
import { countDocuments, estimateNestingDepth, formatBytes, utf8ByteLength } from './input-size';
import type { InputLimits, ManifestFile, ParsedDoc } from './manifest-set';
import { yamlTreeProblem } from './yaml-tree-check';

/**
 * The `yaml` parser recurses once per nesting level and overflows the stack somewhere past ~800
 * levels; the pre-parse estimate stays well below that whatever limit the caller sets.
 */
const PARSER_SAFE_DEPTH = 500;

/** Keys that would reach Object.prototype when a consumer copies the parsed value naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Multi-document YAML (JSON is YAML) from many files → one value per non-empty document, numbered
 * 1-based across all files as kubectl reports them. Refuses oversized input, alias bombs, deep
 * nesting and syntax errors with issues, never with an exception or a hang. A `kind: List` is
 * flattened into its items, as `kubectl apply` does; the items keep the List's document number.
 */
export function parseYamlDocuments(
  files: ManifestFile[],
  limits: InputLimits,
): { docs: ParsedDoc[]; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const docs: ParsedDoc[] = [];
  let totalBytes = 0;
  for (const file of files) totalBytes += utf8ByteLength(file.content);
  if (totalBytes > limits.maxBytes) {
    issues.push({
      severity: 'error',
      code: 'INPUT_TOO_LARGE',
      message: `input is ${formatBytes(totalBytes)}; the limit is ${formatBytes(limits.maxBytes)}`,
    });
    return { docs, issues };
  }
  let documents = 0;
  for (const file of files) documents += countDocuments(file.content);
  if (documents > limits.maxObjects)
    return { docs, issues: [tooManyObjects(`${documents}`, limits)] };
  let docNumber = 0;
  for (const file of files) {
    const fail = (code: IssueCode, message: string, doc?: number): void => {
      const issue: EngineIssue = { severity: 'error', code, message };
      if (doc !== undefined) issue.doc = doc;
      if (file.name !== undefined) issue.file = file.name;
      issues.push(issue);
    };
    const tooMany = readYamlValues(file.content, limits, {
      nextDocument: () => ++docNumber,
      fail,
      value: (value, doc) => {
        for (const entry of flattenList(value)) {
          const parsedDoc: ParsedDoc = { doc, value: entry.value };
          if (entry.item !== undefined) parsedDoc.item = entry.item;
          if (file.name !== undefined) parsedDoc.file = file.name;
          docs.push(parsedDoc);
          if (docs.length > limits.maxObjects) return false;
        }
        return true;
      },
    });
    if (tooMany) {
      issues.push(tooManyObjects(`more than ${limits.maxObjects}`, limits));
      return { docs: [], issues };
    }
  }
  return { docs, issues };
}

function tooManyObjects(count: string, limits: InputLimits): EngineIssue {
  return {
    severity: 'error',
    code: 'TOO_MANY_OBJECTS',
    message: `input has ${count} objects; the limit is ${limits.maxObjects}`,
  };
}

export interface YamlValueSink {
  /** Called once per non-empty document, before its problems or value: its number. */
  nextDocument(): number;
  fail(code: IssueCode, message: string, doc?: number): void;
  /** A document's value, checked; false stops reading (too many objects). */
  value(value: unknown, doc: number): boolean;
}

/**
 * The checks every YAML text from a user goes through, document by document: nesting estimated
 * before parsing, the parser with the core schema only, mappings over the key limit refused while
 * parsing, then the node tree (duplicate keys, tags, scalar lengths), aliases and forbidden keys.
 * Returns true when `sink.value` stopped the reading.
 */
export function readYamlValues(text: string, limits: InputLimits, sink: YamlValueSink): boolean {
  const depthBound = Math.min(PARSER_SAFE_DEPTH, limits.maxDepth * 2 + 16);
  if (estimateNestingDepth(text) > depthBound) {
    sink.fail('NESTING_TOO_DEEP', `nesting is deeper than ${limits.maxDepth} levels`);
    return false;
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  let parsed: Document.Parsed[];
  try {
    parsed = parseStream(text, limits.maxMappingKeys, lineCounter);
  } catch (err) {
    if (err instanceof OversizedMapping)
      sink.fail(
        'LIMIT_EXCEEDED',
        `a mapping has more keys than the limit of ${limits.maxMappingKeys} at ${at(err.offset)}`,
      );
    else sink.fail('YAML_SYNTAX', `could not parse YAML: ${errorMessage(err)}`);
    return false;
  }
  for (const document of parsed) {
    if (isEmptyDocument(document)) continue;
    const doc = sink.nextDocument();
    if (document.errors.length) {
      for (const e of document.errors)
        sink.fail('YAML_SYNTAX', `${firstLine(e.message)} at ${at(e.pos[0])}`, doc);
      continue;
    }
    const treeProblem = yamlTreeProblem(document.contents, limits);
    if (treeProblem) {
      const where = treeProblem.offset === undefined ? '' : ` at ${at(treeProblem.offset)}`;
      sink.fail(treeProblem.code, `${treeProblem.message}${where}`, doc);
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: limits.maxAliases });
    } catch (err) {
      if (err instanceof ReferenceError)
        sink.fail(
          'YAML_ALIAS_LIMIT',
          `too many alias expansions (limit ${limits.maxAliases}): refusing a possible "billion laughs" document`,
          doc,
        );
      else sink.fail('YAML_SYNTAX', errorMessage(err), doc);
      continue;
    }
    const problem = structureProblem(value, limits.maxDepth);
    if (problem) {
      sink.fail(problem.code, problem.message, doc);
      continue;
    }
    if (!sink.value(value, doc)) return true;
  }
  return false;
}

/** Raised from the parser's new-line hook: a block mapping already holds more keys than allowed. */
class OversizedMapping extends Error {
  constructor(readonly offset: number) {
    super('a mapping has more keys than the limit');
  }
}

/**
 * `parseAllDocuments` with a look at the parser's open collections at every line break: a block
 * mapping over the key limit is refused while it is being read, before the rest of the text is
 * parsed and before any of it becomes nodes (the parser is the costly part, about 25 µs a key).
 * One item of slack: an item holding only a comment line becomes the next key. Flow mappings, and
 * a mapping exactly one key over, are caught by the tree check after parsing.
 */
function parseStream(
  text: string,
  maxMappingKeys: number,
  lineCounter: LineCounter,
): Document.Parsed[] {
  const parser: Parser = new Parser((offset) => {
    lineCounter.addNewLine(offset);
    for (const token of parser.stack)
      if (token.type === 'block-map' && token.items.length > maxMappingKeys + 1)
        throw new OversizedMapping(token.offset);
  });
  const composer = new Composer({
    // Checked in yamlTreeProblem, in linear time: the parser's check compares every pair of keys
    // (40,000 keys took 40 s).
    uniqueKeys: false,
    strict: true,
    // Merge keys (`<<`) stay off even under a `%YAML 1.1` directive: version is pinned to 1.2.
    merge: false,
    schema: 'core',
    version: '1.2',
  });
  return Array.from(composer.compose(parser.parse(text))) as Document.Parsed[];
}

/** A document holding only comments, nothing (`---` followed by `---`) or `null`: kubectl skips these. */
function isEmptyDocument(document: Document.Parsed): boolean {
  if (document.errors.length) return false;
  const contents = document.contents;
  return (
    contents === null ||
    (isScalar(contents) && (contents.value === null || contents.value === undefined))
  );
}

/**
 * `kind: List` (what `kubectl get -o yaml` prints) and typed lists (`PodList`, `ServiceList`,
 * `NetworkPolicyList` …, what the API returns for one resource): kubectl apply creates each item.
 * A typed list's items may leave out apiVersion and kind (the API server's list responses do); they
 * take the list's apiVersion and its kind without `List`. Items are numbered from 1 so issues can
 * name them (`doc 1 item 17`).
 */
function flattenList(value: unknown): { value: unknown; item?: number }[] {
  if (!isObject(value) || typeof value.kind !== 'string' || !Array.isArray(value.items))
    return [{ value }];
  const kind = value.kind;
  if (kind === 'List') return value.items.map((item, i) => ({ value: item, item: i + 1 }));
  if (!kind.endsWith('List') || kind.length <= 'List'.length) return [{ value }];
  const itemKind = kind.slice(0, -'List'.length);
  const apiVersion = value.apiVersion;
  return value.items.map((item, i) => {
    if (!isObject(item)) return { value: item, item: i + 1 };
    const filled: Record<string, unknown> = {};
    if (item.apiVersion === undefined && typeof apiVersion === 'string')
      filled.apiVersion = apiVersion;
    if (item.kind === undefined) filled.kind = itemKind;
    return { value: { ...filled, ...item }, item: i + 1 };
  });
}

/** Iterative walk (no recursion, so no stack overflow): nesting depth and forbidden keys. */
function structureProblem(
  root: unknown,
  maxDepth: number,
): { code: IssueCode; message: string } | null {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth)
      return { code: 'NESTING_TOO_DEEP', message: `nesting is deeper than ${maxDepth} levels` };
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key))
        return { code: 'INVALID_FIELD', message: `key "${key}" is not allowed` };
      if (key === '<<')
        return {
          code: 'INVALID_FIELD',
          message: 'YAML merge keys ("<<") are not supported; write the fields out',
        };
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return (newline < 0 ? message : message.slice(0, newline)).replace(/:$/, '');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? firstLine(err.message) : String(err);
}
