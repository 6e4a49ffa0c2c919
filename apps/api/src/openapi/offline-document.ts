// The OpenAPI document without a database, a queue or a listening server: Nest's preview mode
// builds the module graph (which is all the document is generated from) and instantiates nothing,
// so the connections the modules would use are never opened. `dump-openapi.ts` writes it to
// apps/api/openapi.json; the drift test compares that file with it.
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { readApiConfig } from '../config/api-config';
import { createLogger } from '@netplay/logging';
import { UNVERSIONED_ROUTES } from '../create-app';
import type { Infrastructure } from '../infra/infrastructure';
import { buildOpenApiDocument } from './setup-openapi';

export async function buildOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  const { config } = readApiConfig({});
  // Preview mode never reads it; the mode decides which providers are registered (none that
  // serve routes), so the in-process one is as good as any.
  const noInfrastructure = { mode: { database: 'embedded', queue: 'in-process' } };
  const app = await NestFactory.create(
    AppModule.forRoot(
      config,
      noInfrastructure as Infrastructure,
      createLogger({ level: 'silent', format: 'json' }, { service: 'api' }),
    ),
    { preview: true, logger: false, abortOnError: false },
  );
  app.setGlobalPrefix('v1', { exclude: UNVERSIONED_ROUTES });
  try {
    return buildOpenApiDocument(app as INestApplication);
  } finally {
    await app.close();
  }
}

/** The committed document's text: what `npm run openapi:dump` writes. */
export function openApiFileText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
