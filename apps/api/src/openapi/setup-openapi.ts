// The OpenAPI document at /v1/openapi.json and an interactive reference at /v1/docs. Swagger UI's
// assets come from the swagger-ui-dist package and are served by this process: no CDN.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('netplay API')
    .setDescription(
      'Kubernetes networking sandboxes: store manifests, inspect the simulated cluster, run scenarios. Errors are `{error: {code, message, details}}`.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'A tenant API key (np_…)' },
      'api-key',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The operator key NETPLAY_ADMIN_KEY' },
      'admin-key',
    )
    .build();
  return SwaggerModule.createDocument(app, config);
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
