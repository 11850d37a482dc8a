// The worker process's logger. Job payloads and data hold ids only, but they are dropped
// from log lines anyway, and errors are serialised without SQL parameters.
import { pino, type Logger } from 'pino';
import type { Config } from '../server/config.ts';
import { REDACTED_PATHS } from '../server/logger.ts';
import { serializeError } from './errors.ts';

export function createWorkerLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'workers' },
    redact: { paths: [...REDACTED_PATHS, 'payload', 'data', '*.payload', '*.data'], remove: true },
    serializers: { err: serializeError },
  });
}
