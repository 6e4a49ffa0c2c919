// Starts the API: reads the environment once, says which mode it runs in, listens, and shuts down
// gracefully on SIGTERM/SIGINT (lifecycle/graceful-shutdown.ts); a second signal exits at once.
import 'reflect-metadata';
import type { Server } from 'node:http';
import { deprecationWarning, formatProblems } from '@netplay/config';
import { createLogger } from '@netplay/logging';
import { describeMode, missingForProduction, readApiConfig } from './config/api-config';
import { createApiApp } from './create-app';
import { prepareDevelopmentData } from './embedded/development-data';
import { shutDownGracefully } from './lifecycle/graceful-shutdown';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function main(): Promise<void> {
  // The only place the API reads its environment: everything below gets the typed config.
  const { config, problems, deprecated } = readApiConfig(process.env);
  if (problems.length > 0) {
    const logger = createLogger({ level: 'info', format: 'json' }, { service: 'api' });
    for (const line of formatProblems(problems)) logger.error(line);
    process.exitCode = 2;
    return;
  }
  const root = createLogger(config.log, { service: 'api' });
  const logger = root.child({ context: 'netplay-api' });
  const deprecation = deprecationWarning(deprecated);
  if (deprecation) logger.warn(deprecation);
  const missing = missingForProduction(config);
  if (missing.length > 0)
    logger.warn(`production mode without ${missing.join(', ')} (docs/settings.md)`);
  logger.info(describeMode(config));
  const api = await createApiApp(config, { rootLogger: root });
  if (api.infra.mode.database === 'embedded')
    await prepareDevelopmentData(api.infra, config, (line) => logger.info(line));
  const server = (await api.app.listen(config.port)) as Server;

  let stopping = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn(`${signal} again: exiting without waiting for the requests in flight`);
        process.exit(130);
      }
      stopping = true;
      logger.info(`${signal}: shutting down`);
      shutDownGracefully(api, server, config, logger).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  logger.info(
    `listening on http://localhost:${config.port} (API reference: http://localhost:${config.port}/v1/docs)`,
  );
}

main().catch((error: unknown) => {
  createLogger({ level: 'info', format: 'json' }, { service: 'api' }).fatal(
    { err: error },
    'cannot start',
  );
  process.exitCode = 1;
});
