// The whole application as one plugin tree. It never listens: main.ts and the tests do.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { loggerOptions } from './logger.ts';
import infrastructure from './plugins/infrastructure.ts';
import errors from './plugins/errors.ts';
import security from './plugins/security.ts';
import openapi from './plugins/openapi.ts';
import web from './plugins/web.ts';
import healthRoutes from './routes/system/health.ts';

export type BuildOptions = {
  config: Config;
  database?: Database;
  redis?: Redis;
  /** Serve the built SvelteKit app (production start); tests of the API leave it off. */
  serveWeb?: boolean;
  logger?: boolean;
};

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(opts.config),
    // Request ids are random, never derived from the client.
    genReqId: () => randomUUID(),
    bodyLimit: opts.config.bodyLimitBytes,
    trustProxy: opts.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  // 1. External infrastructure.
  await app.register(infrastructure, { config: opts.config, ...(opts.database ? { database: opts.database } : {}), ...(opts.redis ? { redis: opts.redis } : {}) });
  await app.register(errors);
  await app.register(security);
  await app.register(openapi);

  // 2. Application plugins (auth, audit, services) arrive with their issues.

  // 3. Routes.
  await app.register(healthRoutes);

  if (opts.serveWeb) await app.register(web);
  return app;
}
