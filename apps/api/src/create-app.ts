// Builds the Nest application for a configuration: used by main.ts and by the integration suites,
// so tests exercise the same wiring (body limits, error shape, prefix, OpenAPI) as production.
import { type INestApplication } from '@nestjs/common';
import { createLogger, installNestLogger } from '@netplay/logging';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { ApiKeyAuthentication } from './auth/api-key-authentication';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import {
  GRAPHQL_PATH,
  graphqlCallerGate,
  graphqlQuerySizeGate,
  sendGraphqlError,
} from './graphql/graphql-http-gate';
import { QUERY_LIMITS } from './graphql/query-limits';
import { httpStatusOf } from './errors/api-error';
import { BODY_LIMIT_BYTES } from './http/body-limit';
import { rejectInvalidUtf8 } from './http/utf8-body';
import { jsonDepthLimit } from './errors/json-depth';
import { errorBody, toApiError } from './errors/to-api-error';
import {
  openInfrastructure,
  type Infrastructure,
  type InfrastructureOptions,
} from './infra/infrastructure';
import { Readiness } from './health/readiness';
import { requestLogging } from './logging/request-logging';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { setupOpenApi } from './openapi/setup-openapi';
import { RateLimitsService } from './throttling/rate-limits.service';
import { spentTenantGate } from './throttling/spent-tenant-gate';
import { YAML_MEDIA_TYPES } from './sandboxes/sandbox-write-body.decorator';
import { findWebRoot, mountWebApp } from './web/web-app';
import { LTI_UNVERSIONED_ROUTES } from './lti/lti-launch.controller';

/** Largest accepted request body; larger ones are answered 413 with the JSON error body. */
export const BODY_LIMIT = BODY_LIMIT_BYTES;
/** Routes outside /v1: probes and scrapes use fixed, unversioned paths. */
export const UNVERSIONED_ROUTES = ['healthz', 'readyz', 'metrics', ...LTI_UNVERSIONED_ROUTES];

export interface ApiApp {
  app: NestExpressApplication;
  infra: Infrastructure;
  /** The process's pino root logger (JSON lines, secrets redacted). */
  logger: PinoLogger;
  /** Stops the app (its shutdown hooks first), then closes the connections. */
  close(): Promise<void>;
}

export async function createApiApp(
  config: ApiConfig,
  options: InfrastructureOptions & {
    /** false: log nothing (test suites); the config's level and format otherwise. */
    logger?: false;
    /** The root logger main.ts made from the config; default: one made here. */
    rootLogger?: PinoLogger;
    /** Where log lines go; default standard output. */
    logDestination?: DestinationStream;
    /** The built playground page; default: NETPLAY_WEB_DIR or dist/apps/web; null: none. */
    webRoot?: string | null;
  } = {},
): Promise<ApiApp> {
  const root =
    options.rootLogger ??
    createLogger(options.logger === false ? { ...config.log, level: 'silent' } : config.log, {
      service: 'api',
      destination: options.logDestination,
    });
  const nestLogger = installNestLogger(root);
  const logger = root.child({ context: 'netplay-api' });
  const infra = await openInfrastructure(config, {
    onError: (error) => logger.warn(String(error)),
    warn: (message) => logger.warn(message),
    ...options,
  });
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, infra, root), {
      bodyParser: false,
      logger: nestLogger,
    });
  } catch (error) {
    await infra.close();
    throw error;
  }
  configure(app, root);
  const webRoot = options.webRoot === undefined ? findWebRoot(config.webDir) : options.webRoot;
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
    logger: root,
    close: async () => {
      await app.close();
      await infra.close();
    },
  };
}

/**
 * body-parser's `verify` hook. Nest's option types leave `verify` out because its `rawBody` mode
 * sets it; without that mode (as here) Nest passes the options to body-parser unchanged.
 */
const STRICT_UTF8: object = { verify: rejectInvalidUtf8 };

function configure(app: NestExpressApplication, logger: PinoLogger): void {
  app.set('trust proxy', false);
  app.disable('x-powered-by');
  app.use(requestLogging(logger));
  // While draining (after SIGTERM) keep-alive clients are told to reconnect, to another replica.
  const readiness = app.get(Readiness);
  app.use((_request: Request, response: Response, next: NextFunction) => {
    if (readiness.draining) response.setHeader('Connection', 'close');
    next();
  });
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // GraphQL callers are known, and a keyless one refused, before their body is read.
  app.use(
    graphqlCallerGate({
      authentication: app.get(ApiKeyAuthentication),
      publicIntrospection: app.get<ApiConfig>(API_CONFIG).graphqlPublicIntrospection,
    }),
  );
  // A tenant just refused for its budget is refused again before its large body is read.
  app.use(
    spentTenantGate({
      authentication: app.get(ApiKeyAuthentication),
      limits: app.get(RateLimitsService),
    }),
  );
  app.useBodyParser('json', { limit: BODY_LIMIT, ...STRICT_UTF8 });
  // Raw manifests (`kubectl apply -f` YAML) arrive as text; the sandbox routes take them as `manifests`.
  app.useBodyParser('text', { limit: BODY_LIMIT, type: YAML_MEDIA_TYPES, ...STRICT_UTF8 });
  // LTI's form posts (login initiation, the launch's id_token and state, the deep-linking pick).
  app.useBodyParser('urlencoded', { limit: '128kb', extended: false, parameterLimit: 50 });
  // body-parser's errors (too large, malformed JSON) happen before Nest's routing, so Nest's filter
  // never sees them: this Express error handler gives them the same JSON shape.
  app.use(jsonDepthLimit());
  app.use(graphqlQuerySizeGate(QUERY_LIMITS));
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const apiError = toApiError(error);
    // GraphQL clients read `errors`, whatever refused the request before Apollo saw it.
    if (request.path === GRAPHQL_PATH) return sendGraphqlError(response, apiError);
    if (apiError.retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(apiError.retryAfterSeconds));
    response.status(httpStatusOf(apiError.code)).json(errorBody(apiError));
  });
  app.setGlobalPrefix('v1', { exclude: UNVERSIONED_ROUTES });
  setupOpenApi(app as INestApplication);
}
