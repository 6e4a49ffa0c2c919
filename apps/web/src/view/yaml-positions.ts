/**
 * Where an engine issue sits in the YAML the learner typed. The engine names a document (1-based,
 * counting non-empty documents as kubectl does) and a field path (`spec.ports[0].port`); this
 * walks the same documents with the `yaml` CST to find the characters of that field, falling back
 * to the deepest field that exists (a missing field points at its parent) and then to the document.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

export interface TextRange {
  from: number;
  to: number;
}

export interface LocatedIssue<T> {
  issue: T;
  range: TextRange;
  line: number;
}

type PathSegment = string | number;

/** `spec.ports[0].port` → ['spec', 'ports', 0, 'port']; keys with dots or brackets in quotes survive. */
export function splitFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[1] ?? match[3] ?? match[4] ?? '');
  }
  return segments;
}

interface ParsedText {
  text: string;
  documents: Document.Parsed[];
}

export function parseForPositions(text: string): ParsedText {
  const documents = parseAllDocuments(text, { uniqueKeys: false }) as unknown;
  return { text, documents: Array.isArray(documents) ? (documents as Document.Parsed[]) : [] };
}

/** From `from` to the end of its line: how a collection (a list item, a whole object) is marked. */
function restOfLine(parsed: ParsedText, from: number): TextRange {
  const end = parsed.text.indexOf('\n', from);
  return { from, to: end === -1 ? parsed.text.length : end };
}

function isEmptyDocument(document: Document.Parsed): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value == null);
}

/** The document the engine calls `doc` (1-based over non-empty documents). */
export function documentAt(parsed: ParsedText, doc: number): Document.Parsed | undefined {
  let count = 0;
  for (const document of parsed.documents) {
    if (isEmptyDocument(document)) continue;
    count++;
    if (count === doc) return document;
  }
  return undefined;
}

function rangeOf(node: Node | null | undefined): TextRange | undefined {
  const range = node?.range;
  return range ? { from: range[0], to: range[1] } : undefined;
}

/** The characters of `path` inside document `doc`, or the closest enclosing field that exists. */
export function locateField(
  parsed: ParsedText,
  doc: number | undefined,
  path: string | undefined,
): TextRange | undefined {
  if (doc === undefined) return undefined;
  const document = documentAt(parsed, doc);
  if (!document) return undefined;
  let node: Node | null | undefined = document.contents as Node | null;
  let best = firstLineOf(parsed, document);
  for (const segment of path ? splitFieldPath(path) : []) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      const keyRange = rangeOf(key);
      const valueRange = isScalar(value) ? rangeOf(value) : undefined;
      if (keyRange) best = { from: keyRange.from, to: valueRange?.to ?? keyRange.to };
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      const itemRange = rangeOf(item);
      if (!item || !itemRange) break;
      best = isScalar(item) ? itemRange : restOfLine(parsed, itemRange.from);
      node = item;
    } else break;
  }
  return best;
}

/** The first line of a document's contents: where a whole-object issue points. */
function firstLineOf(parsed: ParsedText, document: Document.Parsed): TextRange {
  return restOfLine(parsed, (document.contents as Node | null)?.range?.[0] ?? document.range[0]);
}

/** 1-based line number of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export interface PositionedIssueInput {
  doc?: number;
  path?: string;
  message: string;
}

/**
 * Places issues in the text; `docOffset` is the number of documents the engine read before this
 * text (a cluster-settings document placed first). Issues that name no document go to line 1.
 */
export function locateIssues<T extends PositionedIssueInput>(
  text: string,
  issues: readonly T[],
  docOffset = 0,
): LocatedIssue<T>[] {
  if (issues.length === 0) return [];
  const parsed = parseForPositions(text);
  return issues.map((issue) => {
    const range = locateSyntaxError(parsed, issue) ??
      locateField(
        parsed,
        issue.doc === undefined ? undefined : issue.doc - docOffset,
        issue.path,
      ) ?? {
        from: 0,
        to: 0,
      };
    const clamped = {
      from: Math.min(range.from, text.length),
      to: Math.min(range.to, text.length),
    };
    return { issue, range: clamped, line: lineOf(text, clamped.from) };
  });
}

/** A YAML syntax issue carries no field path: the parser's own position of the error is used. */
function locateSyntaxError(parsed: ParsedText, issue: PositionedIssueInput): TextRange | undefined {
  if (issue.path) return undefined;
  for (const document of parsed.documents) {
    const error = document.errors[0];
    if (error && issue.message.includes(error.message.split('\n')[0].slice(0, 40)))
      return { from: error.pos[0], to: Math.max(error.pos[1], error.pos[0] + 1) };
  }
  return undefined;
}
