import { renderScenarioSvg } from '@netplay/engine';
import { request as expressRequest, type Request } from 'express';
import { chooseTraceFormat, renderRun, type AcceptsNegotiator } from './run-format';

/** Express's own negotiation over a request carrying this Accept header. */
function negotiatorFor(accept: string | undefined): AcceptsNegotiator {
  const request = Object.create(expressRequest) as Request;
  Object.assign(request, { headers: accept === undefined ? {} : { accept } });
  return (types) => request.accepts(types);
}

describe('chooseTraceFormat', () => {
  it.each<[string, unknown, string | undefined, string]>([
    ['no preference', undefined, undefined, 'json'],
    ['a JSON Accept', undefined, 'application/json', 'json'],
    ['a text Accept', undefined, 'text/plain', 'text'],
    ['text preferred over JSON', undefined, 'text/plain, application/json;q=0.9', 'text'],
    ['JSON listed before text', undefined, 'application/json, text/plain', 'json'],
    ['a Graphviz Accept', undefined, 'text/vnd.graphviz', 'dot'],
    ['format=dot over a JSON Accept', 'dot', 'application/json', 'dot'],
    ['format=json over a text Accept', 'json', 'text/plain', 'json'],
    ['an SVG Accept', undefined, 'image/svg+xml', 'svg'],
    ['a Mermaid Accept', undefined, 'text/vnd.mermaid', 'mermaid'],
    ['format=mermaid over a JSON Accept', 'mermaid', 'application/json', 'mermaid'],
    ['any type', undefined, '*/*', 'json'],
    ['a browser', undefined, 'text/html,application/xhtml+xml,*/*;q=0.8', 'json'],
    ['JSON ranked above text by q-value', undefined, 'text/plain;q=0.5, application/json', 'json'],
    ['SVG ranked above JSON by q-value', undefined, 'application/json;q=0.1, image/svg+xml', 'svg'],
    ['text/* over JSON', undefined, 'text/*, application/json;q=0.2', 'text'],
    ['a type no rendering has', undefined, 'image/png', 'json'],
    ['text refused outright', undefined, 'text/plain;q=0, */*;q=0.1', 'json'],
  ])('picks the rendering for %s', (_, format, accept, expected) => {
    expect(chooseTraceFormat(format, negotiatorFor(accept))).toEqual({
      ok: true,
      format: expected,
    });
  });

  it('refuses an unknown format, naming the choices', () => {
    expect(chooseTraceFormat('png', negotiatorFor(undefined))).toEqual({
      ok: false,
      message: 'format must be one of json, text, dot, mermaid, svg',
    });
  });
});

describe('renderRun', () => {
  const run = { id: 'r1', status: 'failed', error: 'doc 1: spec: is required' };

  it('says where a run without a result stands', () => {
    expect(renderRun({ ...run, status: 'queued', error: null }, undefined, 'text')).toBe(
      'run r1: queued\n',
    );
  });

  it('puts the error of a failed run before its steps', () => {
    expect(renderRun(run, { issues: [], steps: [] }, 'text')).toBe(
      'run r1: failed\nerror: doc 1: spec: is required\n\nscenario run r1: 0 steps\n',
    );
  });

  it('draws an empty graph for a run without traced steps', () => {
    expect(renderRun(run, undefined, 'dot')).toBe(
      'digraph "run r1" {\n  rankdir=TB;\n  node [shape=box, fontname="monospace", fontsize=10];\n}\n',
    );
  });

  it('renders SVG and Mermaid with the engine, as netplay run --format does', () => {
    expect(renderRun(run, { issues: [], steps: [] }, 'svg')).toBe(
      renderScenarioSvg({ issues: [], steps: [] }, 'run r1'),
    );
    expect(renderRun(run, undefined, 'mermaid')).toBe(
      'flowchart TB\n  classDef reply stroke-dasharray: 5 5\n  classDef failed stroke:#c62828,color:#c62828\n',
    );
  });
});
