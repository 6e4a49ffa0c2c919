// Nest's logger for a process, writing through its pino root: `Logger.overrideLogger` makes every
// `new Logger(context)` in the code (and Nest's own bootstrap lines) a JSON line from the start,
// before the application exists. Inside a request nestjs-pino swaps in the request's child logger,
// so those lines carry the request id.
import { Logger as NestLogger } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';

export function nestLoggerParams(root: Logger): Params {
  return { pinoHttp: { logger: root }, useExisting: true };
}

export function installNestLogger(root: Logger): NestPinoLogger {
  const params = nestLoggerParams(root);
  const logger = new NestPinoLogger(new PinoLogger(params), params);
  NestLogger.overrideLogger(logger);
  return logger;
}
