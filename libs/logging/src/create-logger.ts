// The process's one pino logger: JSON lines with UTC ISO-8601 timestamps and the level as a word,
// secrets removed by path before a line is written (redaction is configuration, not discipline at
// every call site), human-readable output only when NETPLAY_LOG_FORMAT=pretty.
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';

export interface LogSettings {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  format: 'json' | 'pretty';
}

export const REDACTED = '[redacted]';

/**
 * Paths whose values never reach a log line: request credentials (API keys and the admin key
 * travel in Authorization), cookies, and any field named like a key or secret one level down in
 * a logged object (webhook signing secrets, LTI private keys, NETPLAY_SECRET_KEY).
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'authorization',
  'apiKey',
  'secret',
  'secretKey',
  'adminKey',
  'privateKey',
  'password',
  'NETPLAY_SECRET_KEY',
  'NETPLAY_ADMIN_KEY',
  '*.authorization',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.secretKey',
  '*.signingSecret',
  '*.adminKey',
  '*.privateKey',
  '*.privateKeyPem',
  '*.password',
  '*.NETPLAY_SECRET_KEY',
  '*.NETPLAY_ADMIN_KEY',
];

export interface CreateLoggerOptions {
  /** `api` or `worker`: every line carries it as `service`. */
  service: string;
  /** Where lines go; default standard output. Tests pass a stream that collects them. */
  destination?: DestinationStream;
}

export function createLogger(settings: LogSettings, options: CreateLoggerOptions): Logger {
  const base = {
    level: settings.level,
    base: { service: options.service, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (settings.format === 'pretty' && !options.destination)
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l"Z"', ignore: 'pid,service' },
      },
    });
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** A destination that keeps every line in memory, parsed: for tests that read the logs. */
export function collectingDestination(): DestinationStream & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
}
