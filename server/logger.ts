// Logging that cannot leak who reported: no IP address, user agent, cookie, header or
// body is ever serialised. Requests are logged by route pattern, not by raw URL.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

export const REDACTED_PATHS = [
  'req.headers', 'req.remoteAddress', 'req.remotePort', 'req.ip', 'req.ips', 'req.hostname',
  'headers', 'cookie', 'cookies', 'body', 'ip', 'userAgent', 'user-agent',
];

export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, remove: true },
    serializers: {
      // Fastify's default would include remoteAddress and the raw URL (which may carry ids).
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({
        method: req.method,
        route: req.routeOptions?.url ?? 'unmatched',
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error & { code?: string }) => ({
        type: err.name,
        code: err.code,
        message: err.message,
        stack: err.stack ?? '',
      }),
    },
  };
}
