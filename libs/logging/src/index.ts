export {
  collectingDestination,
  createLogger,
  REDACT_PATHS,
  REDACTED,
  type CreateLoggerOptions,
  type LogSettings,
} from './create-logger';
export { installNestLogger, nestLoggerParams } from './nest-logger';
