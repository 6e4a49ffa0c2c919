import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { runScenario, type Step } from '@netplay/engine';
import traceSchema from '@netplay/engine/trace-schema';
import { ALL_WEBHOOK_EVENT_TYPES } from '@netplay/webhooks';
import type { OpenAPIObject } from '@nestjs/swagger';
import { API_ERROR_CODES } from '../errors/api-error';
import { buildOfflineOpenApiDocument, openApiFileText } from './offline-document';

const REPO = path.join(__dirname, '../../../..');
const COMMITTED = path.join(REPO, 'apps/api/openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Operation = {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
};

let document: OpenAPIObject;
let operations: { path: string; method: string; operation: Operation }[];

beforeAll(async () => {
  document = await buildOfflineOpenApiDocument();
  operations = Object.entries(document.paths).flatMap(([route, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Record<string, Operation | undefined>)[method];
      return operation ? [{ path: route, method, operation }] : [];
    }),
  );
}, 60_000);

/** Ajv over the document's components, as a client validating an answer would use them. */
function componentValidator(name: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile({
    $ref: `#/components/schemas/${name}`,
    components: JSON.parse(JSON.stringify(document.components)),
  });
  return (value: unknown) => {
    const ok = validate(JSON.parse(JSON.stringify(value)));
    if (!ok) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`);
  };
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and the committed apps/api/openapi.json is the one the code builds', () => {
    expect(document.openapi).toBe('3.1.0');
    // A drifted file fails here: run `npm run openapi:dump` and commit it.
    expect(readFileSync(COMMITTED, 'utf8')).toBe(openApiFileText(document));
  });

  it('names every operation with a unique method-like id and a summary', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: route, method, operation } of operations) {
      expect([route, method, operation.operationId]).toEqual([
        route,
        method,
        expect.stringMatching(
          /^(create|list|get|update|delete|revoke|set|register|rotate|redeliver|ping|add|live|ready)[A-Z]?[A-Za-z]*$/,
        ),
      ]);
      expect(operation.summary).toEqual(expect.any(String));
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        'createSandbox',
        'listSandboxes',
        'listSandboxRevisions',
        'createRun',
        'getRun',
        'listRuns',
        'createExercise',
        'listExercises',
        'createSubmission',
        'createWebhookEndpoint',
        'pingWebhookEndpoint',
      ]),
    );
  });

  it('gives every operation a typed success answer and the shared error responses', () => {
    for (const { path: route, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((status) => status.startsWith('2'));
      expect([route, success.length > 0]).toEqual([route, true]);
      for (const status of success.filter((code) => code !== '204')) {
        const json = operation.responses[status].content?.['application/json'];
        expect([route, status, json?.schema]).toEqual([route, status, expect.anything()]);
      }
      const errors = statuses.filter((status) => Number(status) >= 400);
      expect(errors).toEqual(expect.arrayContaining(['400', '429', '500', '503']));
      if ((operation.security ?? []).length > 0) expect(errors).toContain('401');
      for (const status of errors)
        expect(operation.responses[status]).toEqual({
          $ref: `#/components/responses/Error${status}`,
        });
    }
  });

  it('has one error shape whose code enum is every API error code', () => {
    const error = document.components?.schemas?.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(error.properties.error.properties.code.enum).toEqual([...API_ERROR_CODES]);
    const rateLimited = document.components?.responses?.Error429 as { headers: object };
    expect(rateLimited.headers).toHaveProperty('Retry-After');
  });

  it('declares opaque bearer keys, not JWTs', () => {
    const schemes = document.components?.securitySchemes ?? {};
    expect(Object.keys(schemes).sort()).toEqual(['admin-key', 'api-key']);
    for (const scheme of Object.values(schemes)) {
      expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(scheme).not.toHaveProperty('bearerFormat');
    }
  });

  it("carries the engine's trace schema definitions as components, references rewritten", () => {
    const defs = (traceSchema as { $defs: Record<string, unknown> }).$defs;
    for (const [name, schema] of Object.entries(defs)) {
      const expected = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/'),
      );
      expect([name, document.components?.schemas?.[name]]).toEqual([name, expected]);
    }
    expect(Object.keys(defs)).toEqual(
      expect.arrayContaining([
        'ProbeTrace',
        'DnsTrace',
        'Hop',
        'DnsQueryRecord',
        'Verdict',
        'DropReason',
      ]),
    );
  });

  it('declares the revisions list as the page it answers', () => {
    const revisions = document.paths['/v1/sandboxes/{id}/revisions'].get as Operation;
    expect(revisions.responses['200'].content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/SandboxRevisionPage',
    });
    const page = document.components?.schemas?.SandboxRevisionPage as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(page.properties).sort()).toEqual(['items', 'nextCursor']);
  });

  it('types run steps and results: real engine output validates against the components', () => {
    const manifests = readFileSync(path.join(REPO, 'examples/manifests/website.yaml'), 'utf8');
    const steps: Step[] = [
      { name: 'home page', probe: { from: 'default/client', to: 'http://website.default/' } },
      { dns: { from: 'default/client', name: 'website.default' } },
      { get: { kind: 'pods', wide: true } },
      { scale: { deployment: 'website', replicas: 1 } },
      { probe: { from: 'default/client', to: 'http://nowhere.default/' } },
    ];
    const result = runScenario({
      manifests: [{ name: 'website.yaml', content: manifests }],
      steps,
    });
    expect(result.steps.map((step) => step.kind)).toEqual([
      'probe',
      'dns',
      'get',
      'scale',
      'probe',
    ]);
    componentValidator('ScenarioResult')(result);
    for (const step of steps) componentValidator('Step')(step);
    expect(() => componentValidator('Step')({ probe: { from: 'a' } })).toThrow(/to/);
    expect(() => componentValidator('Step')({ teleport: 'a' })).toThrow();
  });

  it('catalogues every webhook event type with its payload schema', () => {
    const webhooks = (document as OpenAPIObject & { webhooks: Record<string, unknown> }).webhooks;
    expect(Object.keys(webhooks).sort()).toEqual([...ALL_WEBHOOK_EVENT_TYPES].sort());
    componentValidator('EndpointPingEvent')({
      type: 'endpoint.ping',
      timestamp: '2026-12-07T09:00:00.000Z',
      data: { endpointId: 'e1', url: 'https://lms.example.com/hooks' },
    });
    componentValidator('RunCompletedEvent')({
      type: 'run.completed',
      timestamp: '2026-12-07T09:00:00.000Z',
      data: {
        runId: 'r1',
        sandboxId: 's1',
        status: 'succeeded',
        summary: { steps: 2, verdicts: { delivered: 1, dropped: 1 } },
      },
    });
    expect(() =>
      componentValidator('RunCompletedEvent')({
        type: 'run.completed',
        timestamp: '2026-12-07T09:00:00.000Z',
        data: {
          runId: 'r1',
          sandboxId: 's1',
          status: 'succeeded',
          summary: { steps: 1, verdicts: { lost: 1 } },
        },
      }),
    ).toThrow();
  });
});
