// Each run gets its own database and Redis key prefix, dropped afterwards, so runs never
// collide with a running portal or with each other.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';
import { runMigrations } from '../../server/db/migrate.ts';
import { deleteRedisPrefix, dropDatabase } from '../support/cleanup.ts';

const BASE_DB_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `minhbach_test_${runId}`;
  const url = new URL(BASE_DB_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const redisPrefix = `mbtest-${runId}`;

  await runMigrations(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', REDIS_URL);
  project.provide('redisPrefix', redisPrefix);

  return async () => {
    await dropDatabase(BASE_DB_URL, dbName);
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      await deleteRedisPrefix(redis, redisPrefix);
    } finally {
      redis.disconnect();
    }
  };
}
