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
import auth from './plugins/auth.ts';
import authSessionRoutes from './routes/auth/session.ts';
import authSecondFactorRoutes from './routes/auth/second-factor.ts';
import authAccountRoutes from './routes/auth/account.ts';
import staffKeyRoutes from './routes/keys/staff-keys.ts';
import bodyKeyRoutes from './routes/keys/body-keys.ts';
import adminBodyRoutes from './routes/admin/bodies.ts';
import adminStaffRoutes from './routes/admin/staff.ts';
import auditRoutes from './routes/audit/audit.ts';
import staffRoutes from './routes/staff/me.ts';
import demoRoutes from './routes/demo/totp.ts';
import publicRoutes from './routes/public/index.ts';
import caseMessageRoutes from './routes/cases/messages.ts';
import caseworkRoutes from './routes/cases/casework.ts';
import identityRequestRoutes from './routes/identity/requests.ts';
import notificationRoutes from './routes/notifications/notifications.ts';
import adminWorkflowRoutes from './routes/admin-workflow/calendar-and-routing.ts';
import queueDashboard from './routes/admin-workflow/queues.ts';
import personnelRoutes from './routes/personnel/personnel.ts';
import holdRoutes from './routes/holds/holds.ts';
import directoryRoutes from './routes/directory/directory.ts';

export type BuildOptions = {
  config: Config;
  database?: Database;
  redis?: Redis;
  /** Serve the built SvelteKit app (production start); tests of the API leave it off. */
  serveWeb?: boolean;
  logger?: boolean;
  /** The clock for sessions and TOTP; tests move it instead of sleeping. */
  clock?: () => Date;
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

  // 2. Application plugins.
  await app.register(auth, opts.clock ? { clock: opts.clock } : {});

  // 3. Routes.
  await app.register(healthRoutes);
  for (const routes of [authSessionRoutes, authSecondFactorRoutes, authAccountRoutes, staffKeyRoutes, bodyKeyRoutes, adminBodyRoutes, adminStaffRoutes, auditRoutes, staffRoutes]) {
    await app.register(routes);
  }
  if (opts.config.mode === 'demo') await app.register(demoRoutes);
  await app.register(publicRoutes);
  await app.register(caseMessageRoutes);
  await app.register(caseworkRoutes);
  await app.register(identityRequestRoutes);
  await app.register(notificationRoutes);
  await app.register(adminWorkflowRoutes);
  await app.register(queueDashboard);
  await app.register(personnelRoutes);
  await app.register(holdRoutes);
  await app.register(directoryRoutes);

  if (opts.serveWeb) await app.register(web);
  return app;
}
