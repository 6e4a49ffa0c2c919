import { useEffect, useRef, useState } from 'react';
import type { Analysis, AnalyzeInput } from '../engine/analyze';
import { engine } from '../engine/engine-client';

export const ANALYSIS_DELAY_MS = 120;

/**
 * Re-validates and re-traces in the worker a moment after the learner stops typing. Answers that
 * arrive after a newer request was sent are dropped, so the page never shows an older edit.
 */
export function useDebouncedAnalysis(input: AnalyzeInput | null): {
  analysis: Analysis | null;
  engineMs: number | null;
  error: string | null;
} {
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [engineMs, setEngineMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const answered = useRef(false);
  useEffect(() => {
    if (!input) return;
    const ticket = ++latest.current;
    // The first analysis runs at once: only typing is worth waiting out.
    const delay = answered.current ? ANALYSIS_DELAY_MS : 0;
    const timer = window.setTimeout(() => {
      engine()
        .analyze(input)
        .then(
          ({ analysis: result, ms }) => {
            if (ticket !== latest.current) return;
            answered.current = true;
            setAnalysis(result);
            setEngineMs(ms);
            setError(null);
          },
          (e: unknown) => {
            if (ticket === latest.current) setError(e instanceof Error ? e.message : String(e));
          },
        );
    }, delay);
    return () => window.clearTimeout(timer);
  }, [input]);
  return { analysis, engineMs, error };
}
