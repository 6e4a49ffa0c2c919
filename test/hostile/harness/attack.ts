// Sends one hostile case and reads what came back: status, error code (REST or GraphQL), the
// engine issue codes in the details, and how long the answer took. Shared by the suite and the
// noisy-neighbour bench.
import type { AttackContext, HostileCase } from '../corpus';

export interface AttackOutcome {
  status: number;
  /** REST `error.code`, else every GraphQL `errors[].extensions.code`. */
  codes: string[];
  /** Engine issue codes found anywhere in the answer's details. */
  issueCodes: string[];
  ms: number;
  bodyBytes: number;
  /** The answer's start, for a failure message. */
  excerpt: string;
}

export async function attack(
  apiUrl: string,
  hostile: HostileCase,
  context: AttackContext,
  timeoutMs = 30_000,
): Promise<AttackOutcome> {
  const request = hostile.request(context);
  const headers: Record<string, string> = {};
  if (request.authorization !== null)
    headers.authorization = request.authorization ?? `Bearer ${context.key}`;
  if (request.contentType) headers['content-type'] = request.contentType;
  const started = performance.now();
  const response = await fetch(`${apiUrl}${request.path}`, {
    method: request.method,
    headers,
    body: request.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  return {
    status: response.status,
    ...codesOf(text),
    ms,
    bodyBytes: Buffer.byteLength(text),
    excerpt: text.slice(0, 300),
  };
}

/** Whether the outcome is what the case expects, and if not, why (for the failure message). */
export function mismatch(hostile: HostileCase, outcome: AttackOutcome): string | undefined {
  const problems: string[] = [];
  const { status, code, issueCode } = hostile.expect;
  if (outcome.status !== status) problems.push(`status ${outcome.status}, expected ${status}`);
  if (code && !outcome.codes.includes(code))
    problems.push(`codes [${outcome.codes.join(', ')}], expected ${code}`);
  if (issueCode && !outcome.issueCodes.includes(issueCode))
    problems.push(`issue codes [${outcome.issueCodes.join(', ')}], expected ${issueCode}`);
  if (outcome.ms > hostile.withinMs)
    problems.push(`answered in ${Math.round(outcome.ms)} ms, bound ${hostile.withinMs} ms`);
  return problems.length === 0
    ? undefined
    : `${hostile.family} / ${hostile.name}: ${problems.join('; ')} — ${outcome.excerpt}`;
}

function codesOf(text: string): { codes: string[]; issueCodes: string[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { codes: [], issueCodes: [] };
  }
  const codes: string[] = [];
  const rest = (body as { error?: { code?: unknown; details?: unknown } }).error;
  if (typeof rest?.code === 'string') codes.push(rest.code);
  const graphqlErrors = (body as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors;
  if (Array.isArray(graphqlErrors))
    for (const error of graphqlErrors)
      if (typeof error?.extensions?.code === 'string') codes.push(error.extensions.code);
  const issueCodes = new Set<string>();
  collectIssueCodes(rest?.details, issueCodes);
  return { codes, issueCodes: [...issueCodes] };
}

/** Every `code` string inside `details` (engine issues are `{code, message, …}` objects). */
function collectIssueCodes(value: unknown, into: Set<string>): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object') continue;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') into.add(code);
    pending.push(...Object.values(current));
  }
}
