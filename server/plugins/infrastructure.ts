// Pass one: the external infrastructure every later plugin may use.
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createDatabase, type Database } from '../db/client.ts';
import { createRedis } from '../redis.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    redis: Redis;
  }
}

export type InfrastructureOptions = {
  config: Config;
  /** Injected by tests and benchmarks; otherwise created from the config and closed with the app. */
  database?: Database;
  redis?: Redis;
};

export default fp<InfrastructureOptions>(
  async (app, opts) => {
    const database = opts.database ?? createDatabase(opts.config.databaseUrl);
    const redis = opts.redis ?? createRedis(opts.config.redisUrl, 'request');
    // A Redis outage is reported by /api/ready; it must not crash the process.
    redis.on('error', () => {});
    app.decorate('config', opts.config);
    app.decorate('database', database);
    app.decorate('redis', redis);
    app.addHook('onClose', async () => {
      if (!opts.redis) redis.disconnect();
      if (!opts.database) await database.close();
    });
  },
  { name: 'infrastructure' },
);
