/**
 * The page's handle on the engine worker: each request is a promise. The worker is created on
 * first use, so the engine's code loads beside the page rather than in its critical path.
 */
import type { PolicyDiff } from '@netplay/engine';
import type { Analysis, AnalyzeInput, MatrixGrid } from './analyze';
import type { EngineRequest, EngineResponse } from './engine-protocol';

type Pending = {
  resolve: (value: { result: unknown; ms: number }) => void;
  reject: (e: Error) => void;
};

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class EngineClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<EngineResponse>) => {
      const message = event.data;
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve({ result: message.result, ms: message.ms });
      else pending.reject(new Error(message.error));
    };
    this.worker = worker;
    return worker;
  }

  /** Starts the worker (its code downloads and compiles) while the page fetches the sandbox. */
  warm(): void {
    this.start();
  }

  private request(request: WithoutId<EngineRequest>): Promise<{ result: unknown; ms: number }> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as EngineRequest);
    });
  }

  async analyze(input: AnalyzeInput): Promise<{ analysis: Analysis; ms: number }> {
    const { result, ms } = await this.request({ type: 'analyze', input });
    return { analysis: result as Analysis, ms };
  }

  async view(input: AnalyzeInput, kind: string, options: { node?: string; pod?: string } = {}) {
    return (await this.request({ type: 'view', input, kind, options })).result as string;
  }

  async matrix(input: AnalyzeInput, port: number): Promise<MatrixGrid | null> {
    return (await this.request({ type: 'matrix', input, port })).result as MatrixGrid | null;
  }

  async diff(before: AnalyzeInput, after: AnalyzeInput, port: number): Promise<PolicyDiff | null> {
    return (await this.request({ type: 'diff', before, after, port })).result as PolicyDiff | null;
  }
}

let shared: EngineClient | null = null;
export function engine(): EngineClient {
  shared ??= new EngineClient();
  return shared;
}
