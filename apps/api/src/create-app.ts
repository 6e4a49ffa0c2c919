// Builds the Nest application for a configuration: used by main.ts and by the integration suites,
// so tests exercise the same wiring (body limits, error shape, prefix, OpenAPI) as production.
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { ApiKeyAuthentication } from './auth/api-key-authentication';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { graphqlCallerGate, graphqlQuerySizeGate } from './graphql/graphql-http-gate';
import { QUERY_LIMITS } from './graphql/query-limits';
import { httpStatusOf } from './errors/api-error';
import { jsonDepthLimit } from './errors/json-depth';
import { errorBody, toApiError } from './errors/to-api-error';
import {
  openInfrastructure,
  type Infrastructure,
  type InfrastructureOptions,
} from './infra/infrastructure';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { setupOpenApi } from './openapi/setup-openapi';
import { YAML_MEDIA_TYPES } from './sandboxes/sandbox-write-body.decorator';
import { findWebRoot, mountWebApp } from './web/web-app';

/** Largest accepted request body; larger ones are answered 413 with the JSON error body. */
export const BODY_LIMIT = '2mb';
/** Routes outside /v1: probes and scrapes use fixed, unversioned paths. */
export const UNVERSIONED_ROUTES = ['healthz', 'readyz', 'metrics'];

export interface ApiApp {
  app: NestExpressApplication;
  infra: Infrastructure;
  /** Stops the app (its shutdown hooks first), then closes the connections. */
  close(): Promise<void>;
}

export async function createApiApp(
  config: ApiConfig,
  options: InfrastructureOptions & {
    logger?: false;
    /** The built playground page; default: NETPLAY_WEB_DIR or dist/apps/web; null: none. */
    webRoot?: string | null;
  } = {},
): Promise<ApiApp> {
  const logger = new Logger('netplay-api');
  const infra = await openInfrastructure(config, {
    onError: (error) => logger.warn(String(error)),
    ...options,
  });
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, infra), {
      bodyParser: false,
      ...(options.logger === false ? { logger: false } : {}),
    });
  } catch (error) {
    await infra.close();
    throw error;
  }
  configure(app);
  const webRoot = options.webRoot === undefined ? findWebRoot(process.env) : options.webRoot;
  if (webRoot)
    mountWebApp(app, {
      root: webRoot,
      embedOriginsOf: (tenantId) => infra.tenants.embedOrigins(tenantId),
      onError: (error) => logger.warn(`embed origins: ${String(error)}`),
    });
  else if (options.webRoot === undefined)
    logger.warn('the playground page is not built (npm run build:web): only the API is served');
  await app.init();
  return {
    app,
    infra,
    close: async () => {
      await app.close();
      await infra.close();
    },
  };
}

function configure(app: NestExpressApplication): void {
  app.set('trust proxy', false);
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // GraphQL callers are known, and a keyless one refused, before their body is read.
  app.use(
    graphqlCallerGate({
      authentication: app.get(ApiKeyAuthentication),
      publicIntrospection: app.get<ApiConfig>(API_CONFIG).graphqlPublicIntrospection,
    }),
  );
  app.useBodyParser('json', { limit: BODY_LIMIT });
  // Raw manifests (`kubectl apply -f` YAML) arrive as text; the sandbox routes take them as `manifests`.
  app.useBodyParser('text', { limit: BODY_LIMIT, type: YAML_MEDIA_TYPES });
  // body-parser's errors (too large, malformed JSON) happen before Nest's routing, so Nest's filter
  // never sees them: this Express error handler gives them the same JSON shape.
  app.use(jsonDepthLimit());
  app.use(graphqlQuerySizeGate(QUERY_LIMITS));
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const apiError = toApiError(error);
    response.status(httpStatusOf(apiError.code)).json(errorBody(apiError));
  });
  app.setGlobalPrefix('v1', { exclude: UNVERSIONED_ROUTES });
  app.enableShutdownHooks();
  setupOpenApi(app as INestApplication);
}
