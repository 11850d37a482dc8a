import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis client. `forWorker` clients wait forever for a reconnect (BullMQ requires
 * maxRetriesPerRequest: null); request-path clients fail fast so /api/ready can say
 * Redis is down instead of hanging.
 */
export function createRedis(url: string, kind: 'request' | 'worker', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    lazyConnect: false,
    connectTimeout: 3000,
    maxRetriesPerRequest: kind === 'worker' ? null : 1,
    enableOfflineQueue: kind === 'worker',
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
}
