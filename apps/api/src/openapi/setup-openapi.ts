// The OpenAPI 3.1 document at /v1/openapi.json and an interactive reference at /v1/docs. Swagger UI's
// assets come from the swagger-ui-dist package and are served by this process: no CDN.
//
// The document is generated from the controllers and DTOs (operation ids are the handlers' method
// names), then completed here with what decorators cannot say: the engine's trace schema and the
// run components as `components.schemas`, the one error shape as reusable responses on every
// operation, and the webhook event catalogue. `npm run openapi:dump` writes it to
// apps/api/openapi.json; a test fails when that file and the code disagree.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import {
  COMMON_ERROR_STATUSES,
  ERROR_SCHEMA_NAME,
  errorResponseName,
  errorResponses,
  errorSchema,
} from './error-responses';
import { gradeComponents } from './grade-components';
import { runComponents } from './run-components';
import { traceComponents } from './trace-components';
import { webhookCatalogue } from './webhook-catalogue';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('netplay API')
    .setDescription(
      'Kubernetes networking sandboxes: store manifests, inspect the simulated cluster, run scenarios and read their hop-by-hop traces, grade exercises, receive signed webhooks. Errors are `{error: {code, message, details}}` (components.schemas.Error); lists are keyset pages `{items, nextCursor}`.',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This deployment')
    .addSecurity('api-key', {
      type: 'http',
      scheme: 'bearer',
      description: 'A tenant API key (`np_…`), an opaque string: `Authorization: Bearer np_…`',
    })
    .addSecurity('admin-key', {
      type: 'http',
      scheme: 'bearer',
      description: 'The operator key NETPLAY_ADMIN_KEY, an opaque string',
    })
    .addTag('sandboxes', 'Manifests stored as sandboxes, their revisions and views')
    .addTag('runs', 'Scenario runs against a sandbox and their traces')
    .addTag('exercises', 'Exercises, submissions and grades')
    .addTag('webhooks', 'Signed webhook endpoints, deliveries and events')
    .addTag('lti', 'LTI 1.3 platforms and the tool keys')
    .addTag('admin', 'Operator endpoints (NETPLAY_ADMIN_KEY)')
    .addTag('health', 'Liveness and readiness')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  return completeDocument(document);
}

/** Adds the components and responses decorators cannot express; see the file comment. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const components = document.components ?? {};
  components.schemas = sortedByKey({
    ...(withoutSingleAllOf(components.schemas) as typeof components.schemas),
    ...traceComponents(),
    ...runComponents(),
    ...gradeComponents(),
    [ERROR_SCHEMA_NAME]: errorSchema(),
    ...webhookCatalogue().schemas,
  });
  components.responses = { ...components.responses, ...errorResponses() };
  document.components = components;
  for (const [path, pathItem] of Object.entries(document.paths))
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      // Routes without a key (health, the public JWKS) say so rather than leave it unsaid.
      operation.security ??= [];
      addErrorResponses(path, operation);
    }
  (document as OpenAPIObject & { webhooks?: unknown }).webhooks = webhookCatalogue().webhooks;
  return document;
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * Every operation answers the common error statuses, 401 when it needs a key (403 too for the
 * operator's), 404 when its path
 * names a resource, 413 when it takes a body; the statuses an operation declared itself (409, 415,
 * 422, …) point at the same shared responses.
 */
function addErrorResponses(path: string, operation: Operation): void {
  const statuses = new Set<number>(COMMON_ERROR_STATUSES);
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.length > 0) statuses.add(401);
  // The admin endpoints are refused to everyone while NETPLAY_ADMIN_KEY is unset.
  if (schemes.includes('admin-key')) statuses.add(403);
  if (path.includes('{')) statuses.add(404);
  if (operation.requestBody) statuses.add(413);
  for (const status of Object.keys(operation.responses).map(Number))
    if (status >= 400) statuses.add(status);
  for (const status of [...statuses].sort((a, b) => a - b))
    operation.responses[String(status)] = {
      $ref: `#/components/responses/${errorResponseName(status)}`,
    };
}

/**
 * Nest wraps a referenced enum in a one-element `allOf` (OpenAPI 3.0 forbade siblings of `$ref`);
 * 3.1 allows them, so the reference stands on its own.
 */
function withoutSingleAllOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSingleAllOf);
  if (typeof value !== 'object' || value === null) return value;
  const { allOf, ...rest } = value as { allOf?: unknown[] };
  const inner = Object.fromEntries(
    Object.entries(rest).map(([key, entry]) => [key, withoutSingleAllOf(entry)]),
  );
  if (Array.isArray(allOf) && allOf.length === 1)
    return { ...(withoutSingleAllOf(allOf[0]) as object), ...inner };
  return allOf === undefined ? inner : { allOf: withoutSingleAllOf(allOf), ...inner };
}

function sortedByKey<Value>(record: Record<string, Value>): Record<string, Value> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('v1/docs', app, document, {
    useGlobalPrefix: false,
    jsonDocumentUrl: 'v1/openapi.json',
    raw: ['json'],
    customSiteTitle: 'netplay API reference',
  });
}
