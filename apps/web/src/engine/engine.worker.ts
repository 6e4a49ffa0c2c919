/**
 * The engine in a Web Worker: the page stays responsive while manifests are validated and the
 * probe re-traced on every edit. One request at a time, answered with how long the engine took.
 */
import { analyze, matrixGrid, revisionPolicyDiff, viewText } from './analyze';
import type { EngineRequest, EngineResponse } from './engine-protocol';

interface WorkerScope {
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
  postMessage(message: EngineResponse): void;
}

const scope = self as unknown as WorkerScope;

function answer(request: EngineRequest): unknown {
  switch (request.type) {
    case 'analyze':
      return analyze(request.input);
    case 'view':
      return viewText(request.input, request.kind, request.options);
    case 'matrix':
      return matrixGrid(request.input, request.port);
    case 'diff':
      return revisionPolicyDiff(request.before, request.after, request.port);
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  const started = performance.now();
  try {
    const result = answer(request);
    scope.postMessage({ id: request.id, ok: true, result, ms: performance.now() - started });
  } catch (error) {
    scope.postMessage({
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      ms: performance.now() - started,
    });
  }
};
