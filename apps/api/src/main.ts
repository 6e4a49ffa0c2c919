// Starts the API: reads the environment, says which mode it runs in, listens.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { describeMode, readApiConfig } from './config/api-config';
import { createApiApp } from './create-app';
import { prepareDevelopmentData } from './embedded/development-data';

async function main(): Promise<void> {
  const logger = new Logger('netplay-api');
  const { config, problems } = readApiConfig(process.env);
  if (problems.length > 0) {
    for (const problem of problems) logger.error(`${problem.variable}: ${problem.message}`);
    process.exitCode = 2;
    return;
  }
  logger.log(describeMode(config));
  const { app, infra } = await createApiApp(config);
  if (infra.mode.database === 'embedded')
    await prepareDevelopmentData(infra, config, (line) => logger.log(line));
  await app.listen(config.port);
  logger.log(
    `listening on http://localhost:${config.port} (API reference: http://localhost:${config.port}/v1/docs)`,
  );
}

main().catch((error: unknown) => {
  new Logger('netplay-api').error(
    error instanceof Error ? (error.stack ?? error.message) : String(error),
  );
  process.exitCode = 1;
});
