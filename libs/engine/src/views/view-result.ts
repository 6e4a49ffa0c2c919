import type { EngineIssue } from '../model/issues';

/** What a view prints, or the error kubectl would give instead. */
export interface ViewResult {
  /** What kubectl (or the node's tool) would print; empty when an error issue was returned. */
  text: string;
  issues: EngineIssue[];
}

export function failure(code: EngineIssue['code'], message: string): ViewResult {
  return { text: '', issues: [{ severity: 'error', code, message }] };
}
