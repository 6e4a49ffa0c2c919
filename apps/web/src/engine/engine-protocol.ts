/** Messages between the page and the engine worker. */
import type { PolicyDiff } from '@netplay/engine';
import type { Analysis, AnalyzeInput, MatrixGrid } from './analyze';

export type EngineRequest =
  | { id: number; type: 'analyze'; input: AnalyzeInput }
  | {
      id: number;
      type: 'view';
      input: AnalyzeInput;
      kind: string;
      options: { node?: string; pod?: string };
    }
  | { id: number; type: 'matrix'; input: AnalyzeInput; port: number }
  | { id: number; type: 'diff'; before: AnalyzeInput; after: AnalyzeInput; port: number };

export type EngineResponse =
  | { id: number; ok: true; result: unknown; ms: number }
  | { id: number; ok: false; error: string; ms: number };

export interface EngineResults {
  analyze: Analysis;
  view: string;
  matrix: MatrixGrid | null;
  diff: PolicyDiff | null;
}
