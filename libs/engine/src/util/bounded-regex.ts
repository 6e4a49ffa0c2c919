/**
 * Regular expressions from manifests (ingress-nginx regex paths, Gateway API RegularExpression
 * matches) run against request paths the learner types. JavaScript's backtracking engine can take
 * exponential time on nested quantifiers (`(a+)+`), which PCRE and RE2 implementations guard
 * against, so such patterns are not evaluated: the caller reports them instead of hanging.
 */
const MAX_PATTERN = 512;
const MAX_SUBJECT = 4096;
/** A group holding a quantifier, itself quantified: `(a+)+`, `(x*y)*`, `(?:a|b+){2,}`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

export type BoundedRegex = { regex: RegExp } | { problem: string };

export function boundedRegex(pattern: string, flags = ''): BoundedRegex {
  if (pattern.length > MAX_PATTERN)
    return { problem: `the pattern is longer than ${MAX_PATTERN} characters` };
  if (NESTED_QUANTIFIER.test(pattern))
    return {
      problem:
        'a quantified group that contains a quantifier is not evaluated (it can take exponential time)',
    };
  try {
    return { regex: new RegExp(pattern, flags) };
  } catch {
    return { problem: 'it is not a valid regular expression' };
  }
}

/** `regex.exec` on at most MAX_SUBJECT characters of `subject`. */
export function boundedExec(regex: RegExp, subject: string): RegExpExecArray | null {
  return regex.exec(subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject);
}
