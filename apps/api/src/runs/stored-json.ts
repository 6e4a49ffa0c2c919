// A JSON value as the database returned it: text. A run's traces are the largest thing an answer
// carries (12 KB for one probe); parsing them only to serialise them again cost the API more CPU
// per run than the rest of the answer. REST bodies splice the text in as it is (`runJsonBody`);
// GraphQL fields and the text and DOT renderings read `value`, parsed once on first use.
export class StoredJson {
  private parsed?: { value: unknown };

  constructor(readonly text: string) {}

  get value(): unknown {
    this.parsed ??= { value: JSON.parse(this.text) };
    return this.parsed.value;
  }

  /** Serialising it anywhere else gives the value, as if it had been parsed all along. */
  toJSON(): unknown {
    return this.value;
  }
}

/**
 * The JSON body of a run view: `JSON.stringify` of the view, with a stored result's text spliced
 * in unparsed as the `result` field. Byte-for-byte what stringifying the parsed value would give
 * for text the worker wrote with JSON.stringify (the column type is `json`, which keeps it as given).
 */
export function runJsonBody(run: object & { result?: StoredJson | null }): string {
  if (!(run.result instanceof StoredJson)) return JSON.stringify(run);
  const { result, ...view } = run;
  const head = JSON.stringify(view);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"result":${result.text}}`;
}
