import type { EngineIssue, IssueCode } from '../model/issues';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `spec` + `ports[0]` → `spec.ports[0]`; `spec` + `selector` → `spec.selector`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Where an object came from, so every issue points at the document, object and field. */
export interface IssueContext {
  doc: number;
  item?: number;
  file?: string;
  object?: string;
}

/**
 * Reads typed fields out of a parsed manifest, pushing an API-server-style issue (with the field path)
 * for every value of the wrong type instead of throwing. Readers return `undefined` for absent or
 * invalid fields, so callers apply Kubernetes' defaults in one place.
 */
export class FieldReader {
  constructor(
    readonly context: IssueContext,
    readonly issues: EngineIssue[],
  ) {}

  error(code: IssueCode, path: string, message: string): void {
    this.push('error', code, path, message);
  }

  warn(code: IssueCode, path: string, message: string): void {
    this.push('warning', code, path, message);
  }

  private push(
    severity: EngineIssue['severity'],
    code: IssueCode,
    path: string,
    message: string,
  ): void {
    const issue: EngineIssue = { severity, code, message, doc: this.context.doc };
    if (this.context.item !== undefined) issue.item = this.context.item;
    if (this.context.file !== undefined) issue.file = this.context.file;
    if (this.context.object !== undefined) issue.object = this.context.object;
    if (path) issue.path = path;
    this.issues.push(issue);
  }

  string(obj: JsonObject, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.error('INVALID_FIELD', joinPath(path, key), `must be a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** Integers only: the API server rejects `port: 80.5` and `port: "80"` alike. */
  integer(obj: JsonObject, key: string, path: string): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.error(
        'INVALID_FIELD',
        joinPath(path, key),
        `must be an integer, got ${describe(value)}`,
      );
      return undefined;
    }
    return value;
  }

  boolean(obj: JsonObject, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.error('INVALID_FIELD', joinPath(path, key), `must be a boolean, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  object(obj: JsonObject, key: string, path: string): JsonObject | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      this.error('INVALID_FIELD', joinPath(path, key), `must be an object, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  array(obj: JsonObject, key: string, path: string): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.error('INVALID_FIELD', joinPath(path, key), `must be a list, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** A list of objects: non-object items are reported and skipped; yields `[item, path]`. */
  objects(obj: JsonObject, key: string, path: string): [JsonObject, string][] {
    const list = this.array(obj, key, path) ?? [];
    const out: [JsonObject, string][] = [];
    list.forEach((item, i) => {
      const itemPath = joinPath(joinPath(path, key), i);
      if (isObject(item)) out.push([item, itemPath]);
      else this.error('INVALID_FIELD', itemPath, `must be an object, got ${describe(item)}`);
    });
    return out;
  }

  strings(obj: JsonObject, key: string, path: string): string[] {
    const list = this.array(obj, key, path) ?? [];
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else
        this.error(
          'INVALID_FIELD',
          joinPath(joinPath(path, key), i),
          `must be a string, got ${describe(item)}`,
        );
    });
    return out;
  }

  /** A map of strings (labels, annotations, selectors): non-string values are reported. */
  stringMap(obj: JsonObject, key: string, path: string): Record<string, string> | undefined {
    const map = this.object(obj, key, path);
    if (!map) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(map)) {
      if (typeof v === 'string') out[k] = v;
      else
        this.error(
          'INVALID_FIELD',
          joinPath(joinPath(path, key), k),
          `must be a string, got ${describe(v)}`,
        );
    }
    return out;
  }

  /** One of a fixed set of values; reported with the allowed values like the API server's NotSupported error. */
  oneOf<T extends string>(
    obj: JsonObject,
    key: string,
    path: string,
    allowed: readonly T[],
  ): T | undefined {
    const value = this.string(obj, key, path);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.error(
      'INVALID_FIELD',
      joinPath(path, key),
      `Unsupported value: "${value}": supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
    return undefined;
  }

  /**
   * Fields the engine does not know. `kubectl apply` validates strictly on the server since 1.27
   * (`--validate=strict`, the default) and would refuse them with `strict decoding error: unknown field`;
   * the engine reports them as warnings so a typo like `sessionsAffinity` is pointed out without
   * refusing an otherwise valid example.
   */
  unknownFields(obj: JsonObject, path: string, known: ReadonlySet<string>): void {
    for (const k of Object.keys(obj)) {
      if (!known.has(k)) this.warn('INVALID_FIELD', '', `unknown field "${joinPath(path, k)}"`);
    }
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

export function fieldSet(...names: string[]): ReadonlySet<string> {
  return new Set(names);
}
