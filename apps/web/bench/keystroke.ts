/**
 * Runs in Chromium: what the playground does after a keystroke (once its debounce has passed) —
 * the edited manifests go to the engine worker, which re-validates, rebuilds the cluster and
 * re-traces the probe. Timed on the page (round trip) and in the worker (engine time).
 */
import { EngineClient } from '../src/engine/engine-client';
import type { AnalyzeInput } from '../src/engine/analyze';

interface BenchInput {
  manifests: string;
  clusterSettings?: Record<string, unknown>;
  probe: AnalyzeInput['probe'];
  iterations: number;
}

async function runKeystrokeBench(input: BenchInput) {
  const client = new EngineClient();
  const roundTrip: number[] = [];
  const engine: number[] = [];
  let verdict = '';
  const edit = (i: number) => `${input.manifests.trimEnd()}\n# keystroke ${i}\n`;
  for (let i = 0; i < 10; i++) await client.analyze({ ...input, manifests: edit(i) });
  for (let i = 0; i < input.iterations; i++) {
    const started = performance.now();
    const { analysis, ms } = await client.analyze({ ...input, manifests: edit(1000 + i) });
    roundTrip.push(performance.now() - started);
    engine.push(ms);
    verdict = analysis.trace?.verdict ?? 'no trace';
  }
  return { roundTrip, engine, verdict };
}

(window as unknown as { runKeystrokeBench: typeof runKeystrokeBench }).runKeystrokeBench =
  runKeystrokeBench;
