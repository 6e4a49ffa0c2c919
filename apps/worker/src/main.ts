// The worker process: `npm run start:worker` (compiled, so Nest gets decorator metadata).
// SIGTERM/SIGINT stop taking jobs and wait for the ones in progress; a second signal exits at once
// (the jobs it abandons stall and another worker runs them again).
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readWorkerConfig } from './worker-config';
import { openWorkerInfrastructure } from './worker-infrastructure';
import { WorkerModule } from './worker.module';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function main(): Promise<void> {
  const logger = new Logger('Worker');
  const { config, problems } = readWorkerConfig(process.env);
  if (problems.length > 0) {
    for (const problem of problems) logger.error(`${problem.variable} ${problem.message}`);
    process.exit(2);
  }
  const infra = await openWorkerInfrastructure(config, (error) =>
    logger.warn(error instanceof Error ? error.message : String(error)),
  );
  const app = await NestFactory.createApplicationContext(WorkerModule.with(config, infra), {
    bufferLogs: false,
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
      logger.log(
        `${signal}: finishing the jobs in progress, then exiting (send it again to force)`,
      );
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(
            `shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exit(1);
        },
      );
    });
  }
  logger.log(`worker ready (pid ${process.pid})`);
}

process.on('unhandledRejection', (reason) =>
  new Logger('Worker').error(
    `unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`,
  ),
);

main().catch((error: unknown) => {
  new Logger('Worker').error(
    `cannot start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
