/**
 * Parsing YAML is most of what a re-validation costs (about 40 ms for a 200-object sandbox), and a
 * keystroke changes one document. The text is cut at its document markers (`---` / `...` at the
 * start of a line, which end any scalar in YAML 1.2, so the cut documents are the parser's own),
 * each document is parsed on its own through the engine's parser and kept by its text, and the
 * documents are renumbered as one file would number them. Anything the cut might read differently
 * (directives, limits) goes through the engine's whole-text parse instead.
 */
import {
  DEFAULT_LIMITS,
  parseYamlDocuments,
  type EngineIssue,
  type ManifestFile,
  type ParsedDoc,
} from '@netplay/engine';

export interface ParsedDocuments {
  docs: ParsedDoc[];
  issues: EngineIssue[];
}

interface ParsedChunk extends ParsedDocuments {
  /** Non-empty documents in the chunk (the engine's numbering counts only these). */
  count: number;
}

const MARKER = /^(?:---|\.\.\.)(?=\s|$)/;
const MAX_CACHED = 5_000;

/** The text cut before each document marker line; joined back they are the text. */
export function splitDocuments(text: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const next = lineEnd === -1 ? text.length : lineEnd + 1;
    if (lineStart > start && MARKER.test(text.slice(lineStart, Math.min(next, lineStart + 4)))) {
      chunks.push(text.slice(start, lineStart));
      start = lineStart;
    }
    lineStart = next;
  }
  chunks.push(text.slice(start));
  return chunks;
}

export class DocumentCache {
  private readonly chunks = new Map<string, ParsedChunk>();

  /** What `parseYamlDocuments(files)` returns, re-parsing only documents not seen before. */
  parse(files: ManifestFile[]): ParsedDocuments {
    const total = files.reduce((sum, f) => sum + f.content.length, 0);
    if (total > DEFAULT_LIMITS.maxBytes || files.some((f) => /^%/m.test(f.content)))
      return parseYamlDocuments(files, DEFAULT_LIMITS);
    const docs: ParsedDoc[] = [];
    const issues: EngineIssue[] = [];
    let offset = 0;
    for (const file of files) {
      let linesBefore = 0;
      for (const chunk of splitDocuments(file.content)) {
        const parsed = this.chunk(file.name, chunk);
        for (const doc of parsed.docs) docs.push({ ...doc, doc: doc.doc + offset });
        for (const issue of parsed.issues) issues.push(shifted(issue, offset, linesBefore));
        offset += parsed.count;
        linesBefore += countLines(chunk);
      }
    }
    if (docs.length > DEFAULT_LIMITS.maxObjects) return parseYamlDocuments(files, DEFAULT_LIMITS);
    return { docs, issues };
  }

  private chunk(name: string | undefined, content: string): ParsedChunk {
    const key = `${name ?? ''}\u0000${content}`;
    const cached = this.chunks.get(key);
    if (cached) return cached;
    const parsed = parseYamlDocuments([{ ...(name ? { name } : {}), content }], DEFAULT_LIMITS);
    const numbers = [...parsed.docs.map((d) => d.doc), ...parsed.issues.map((i) => i.doc ?? 0)];
    const chunk = { ...parsed, count: Math.max(0, ...numbers) };
    if (this.chunks.size >= MAX_CACHED) this.chunks.clear();
    this.chunks.set(key, chunk);
    return chunk;
  }
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** A chunk's issue as the whole file reports it: its document number and its parser line. */
function shifted(issue: EngineIssue, docOffset: number, linesBefore: number): EngineIssue {
  if (issue.doc === undefined) return issue;
  const message =
    linesBefore === 0
      ? issue.message
      : issue.message.replace(
          /\bat line (\d+)/g,
          (_, line: string) => `at line ${Number(line) + linesBefore}`,
        );
  return { ...issue, doc: issue.doc + docOffset, message };
}
