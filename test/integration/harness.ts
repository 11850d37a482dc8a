// Shared set-up for integration tests: the run's config, connections and an app.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../server/config.ts';
import { createDatabase, type Database } from '../../server/db/client.ts';
import { buildApp } from '../../server/app.ts';
import { jobRuns } from '../../drizzle/schema/index.ts';

/** The run's config; `prefix` narrows the Redis prefix further for one test file. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    APP_MODE: 'demo',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${inject('redisPrefix')}-${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'silent',
    DATA_DIR: `/tmp/minhbach-test-${inject('redisPrefix')}`,
    ...overrides,
  });
}

export function testDatabase(): Database {
  return createDatabase(inject('databaseUrl'), { max: 5, applicationName: 'minhbach-test' });
}

export async function testApp(config: Config = testConfig()): Promise<FastifyInstance> {
  const app = await buildApp({ config, logger: false });
  await app.ready();
  return app;
}

/**
 * The file's database, opened before its tests and closed after them, with the job_runs rows
 * whose key starts with `prefix:` deleted after each test (tests that write scratch rows there).
 */
export function jobRunsScratch(prefix: string): Pick<Database, 'db'> {
  let database: Database | undefined;
  const open = (): Database => {
    if (!database) throw new Error('the scratch database is opened in beforeAll');
    return database;
  };
  beforeAll(() => {
    database = testDatabase();
  });
  afterEach(async () => {
    await open().db.delete(jobRuns).where(like(jobRuns.jobKey, `${prefix}:%`));
  });
  afterAll(async () => {
    await open().close();
  });
  return { get db() { return open().db; } };
}
