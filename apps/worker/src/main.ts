// The worker process: `npm run start:worker` (compiled, so Nest gets decorator metadata).
// SIGTERM/SIGINT stop taking jobs and wait for the ones in progress, at most
// NETPLAY_SHUTDOWN_TIMEOUT_MS; a second signal, or the time running out, exits without them (the
// jobs it abandons stall and another worker runs them again).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { deprecationWarning, formatProblems } from '@netplay/config';
import { createLogger, installNestLogger } from '@netplay/logging';
import { evictingRedisProblem } from './redis-eviction-check';
import { readWorkerConfig } from './worker-config';
import { WorkerModule } from './worker.module';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function main(): Promise<void> {
  // The only place the worker reads its environment: everything below gets the typed config.
  const { config, problems, deprecated } = readWorkerConfig(process.env);
  if (problems.length > 0) {
    const logger = createLogger({ level: 'info', format: 'json' }, { service: 'worker' });
    for (const line of formatProblems(problems)) logger.error(line);
    process.exit(2);
  }
  const root = createLogger(config.log, { service: 'worker' });
  const nestLogger = installNestLogger(root);
  const logger = root.child({ context: 'Worker' });
  const deprecation = deprecationWarning(deprecated);
  if (deprecation) logger.warn(deprecation);
  const evictionProblem = await evictingRedisProblem(config.redisUrl, (reason) =>
    logger.warn(`could not read Redis's maxmemory-policy at startup (${reason}); starting anyway`),
  );
  if (evictionProblem) {
    logger.fatal(`refusing to start: ${evictionProblem}`);
    process.exit(2);
  }
  // Connections open inside: the composition root (worker-composition.ts) fails start-up when
  // PostgreSQL or Redis cannot be reached.
  const app = await NestFactory.createApplicationContext(WorkerModule.with(config), {
    logger: nestLogger,
  });
  await app.init();

  let stopping = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn(`${signal} again: exiting without waiting for the jobs in progress`);
        process.exit(130);
      }
      stopping = true;
      logger.info(
        `${signal}: finishing the jobs in progress (at most ${config.shutdownTimeoutMs} ms), then exiting (send it again to force)`,
      );
      const timer = setTimeout(() => {
        logger.warn(
          `jobs still running after ${config.shutdownTimeoutMs} ms: exiting; their locks expire and another worker runs them again`,
        );
        process.exit(1);
      }, config.shutdownTimeoutMs);
      app.close().then(
        () => {
          clearTimeout(timer);
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  logger.info(`worker ready (pid ${process.pid})`);
}

process.on('unhandledRejection', (reason) =>
  createLogger({ level: 'info', format: 'json' }, { service: 'worker' }).error(
    { err: reason },
    'unhandled rejection',
  ),
);

main().catch((error: unknown) => {
  createLogger({ level: 'info', format: 'json' }, { service: 'worker' }).fatal(
    { err: error },
    'cannot start',
  );
  process.exit(1);
});
