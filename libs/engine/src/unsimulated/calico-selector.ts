/**
 * Calico's selector expressions (docs.tigera.io "Selectors"): `all()`, `has(k)`, `k == 'v'`,
 * `k != 'v'`, `k in {'a', 'b'}`, `k not in {…}`, `k contains 's'`, `k starts with 's'`,
 * `k ends with 's'`, `global()`, combined with `!`, `&&`, `||` and parentheses. `k != 'v'` also
 * holds when the label is absent, as in Calico. Parsed once into a predicate over labels; the
 * parser is bounded (input length and nesting), and anything it cannot read is null.
 */
import type { Labels } from '../model/resources';

export type CalicoSelector = (labels: Labels) => boolean;

const MAX_LENGTH = 4096;
const MAX_DEPTH = 32;
const KEY = /^[A-Za-z0-9_./-]+/;

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): CalicoSelector | null {
    const expr = this.or();
    this.space();
    return expr && this.at === this.text.length ? expr : null;
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private eat(token: string): boolean {
    this.space();
    if (!this.text.startsWith(token, this.at)) return false;
    // A word operator must not run into a key (`infra` is not `in fra`).
    const after = this.text[this.at + token.length];
    if (/[a-z]$/.test(token) && after !== undefined && /[A-Za-z0-9_./-]/.test(after)) return false;
    this.at += token.length;
    return true;
  }

  private or(): CalicoSelector | null {
    let left = this.and();
    while (left && this.eat('||')) {
      const right = this.and();
      if (!right) return null;
      const l = left;
      left = (labels) => l(labels) || right(labels);
    }
    return left;
  }

  private and(): CalicoSelector | null {
    let left = this.unary();
    while (left && this.eat('&&')) {
      const right = this.unary();
      if (!right) return null;
      const l = left;
      left = (labels) => l(labels) && right(labels);
    }
    return left;
  }

  private unary(): CalicoSelector | null {
    if (++this.depth > MAX_DEPTH) return null;
    try {
      if (this.eat('!')) {
        const inner = this.unary();
        return inner && ((labels) => !inner(labels));
      }
      if (this.eat('(')) {
        const inner = this.or();
        return inner && this.eat(')') ? inner : null;
      }
      return this.term();
    } finally {
      this.depth--;
    }
  }

  private term(): CalicoSelector | null {
    if (this.eat('all()') || this.eat('global()')) return () => true;
    if (this.eat('has(')) {
      const key = this.key();
      return key !== null && this.eat(')') ? (labels) => key in labels : null;
    }
    const key = this.key();
    if (key === null) return null;
    const value = (labels: Labels): string | undefined =>
      Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
    if (this.eat('==')) {
      const want = this.string();
      return want === null ? null : (labels) => value(labels) === want;
    }
    if (this.eat('!=')) {
      const want = this.string();
      return want === null ? null : (labels) => value(labels) !== want;
    }
    if (this.eat('not')) {
      if (!this.eat('in')) return null;
      const set = this.set();
      return set && ((labels) => !set.has(value(labels) ?? '\0'));
    }
    if (this.eat('in')) {
      const set = this.set();
      return set && ((labels) => set.has(value(labels) ?? '\0'));
    }
    if (this.eat('contains')) return this.textTest(value, (v, s) => v.includes(s));
    if (this.eat('starts')) {
      if (!this.eat('with')) return null;
      return this.textTest(value, (v, s) => v.startsWith(s));
    }
    if (this.eat('ends')) {
      if (!this.eat('with')) return null;
      return this.textTest(value, (v, s) => v.endsWith(s));
    }
    return null;
  }

  private textTest(
    value: (labels: Labels) => string | undefined,
    test: (value: string, wanted: string) => boolean,
  ): CalicoSelector | null {
    const wanted = this.string();
    if (wanted === null) return null;
    return (labels) => {
      const v = value(labels);
      return v !== undefined && test(v, wanted);
    };
  }

  private key(): string | null {
    this.space();
    const m = KEY.exec(this.text.slice(this.at));
    if (!m) return null;
    this.at += m[0].length;
    return m[0];
  }

  private string(): string | null {
    this.space();
    const quote = this.text[this.at];
    if (quote !== "'" && quote !== '"') return null;
    const end = this.text.indexOf(quote, this.at + 1);
    if (end < 0) return null;
    const out = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return out;
  }

  private set(): Set<string> | null {
    if (!this.eat('{')) return null;
    const values = new Set<string>();
    if (this.eat('}')) return values;
    for (;;) {
      const v = this.string();
      if (v === null) return null;
      values.add(v);
      if (this.eat('}')) return values;
      if (!this.eat(',')) return null;
    }
  }
}

/** The selector as a predicate; an empty selector is `all()`; null when it cannot be read. */
export function parseCalicoSelector(text: string): CalicoSelector | null {
  if (text.length > MAX_LENGTH) return null;
  if (!text.trim()) return () => true;
  return new Parser(text).parse();
}
