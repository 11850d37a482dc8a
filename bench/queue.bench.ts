// Outbox → BullMQ → handler latency at a steady rate, beside BullMQ alone (add → completed)
// measured in the same run. The outbox path adds a Postgres commit, the NOTIFY wake-up, the
// relay's claim-and-add transaction and the handler's runOnce transaction.
import { Type } from 'typebox';
import { sql as dsql } from 'drizzle-orm';
import { loadConfig } from '../server/config.ts';
import { createDatabase } from '../server/db/client.ts';
import { createRedis } from '../server/redis.ts';
import { enqueueOutbox } from '../server/repositories/outbox.repository.ts';
import { defineJob } from '../workers/job-definition.ts';
import { startWorkers } from '../workers/runtime.ts';
import { deleteRedisPrefix } from '../test/support/cleanup.ts';
import { benchSeconds, bullmqBaseline, latencyRows, paced, peakRssMiB, report, scratchDatabase, waitFor } from './lib.ts';

const RATE = Number(process.env['BENCH_RATE'] ?? 200);
const SECONDS = benchSeconds(10);
const TOTAL = RATE * SECONDS;



const scratch = await scratchDatabase('queue');
const prefix = `mbbench-${process.pid}`;
const config = loadConfig({ DATABASE_URL: scratch.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '60000' });
const redis = createRedis(config.redisUrl, 'worker');

try {
  // Baseline: BullMQ alone.
  const { latencies: baseLatency, seconds: baseSeconds } = await bullmqBaseline({ redisUrl: config.redisUrl, prefix, total: TOTAL, rate: RATE });

  // The outbox path: a committed row → relay → BullMQ → handler commit.
  const committedAt = new Map<string, number>();
  const outboxLatency: number[] = [];
  const benchJob = defineJob({
    name: 'bench-noop', queue: '{bench}.outbox', topics: ['bench.noop'], payload: Type.Object({ i: Type.Number() }),
    handler: async (ctx, payload) => {
      await ctx.runOnce(async () => undefined);
      const t = committedAt.get(`bench-${payload.i}`);
      if (t !== undefined) outboxLatency.push(performance.now() - t);
    },
  });
  const database = createDatabase(config.databaseUrl, { max: 10 });
  const runtime = await startWorkers({ config, jobs: [benchJob], database, reconcileOnStart: false });
  const outStart = performance.now();
  await paced(TOTAL, RATE, async (i) => {
    const key = `bench-${i}`;
    await database.db.transaction(async (tx) => {
      await enqueueOutbox(tx, { topic: 'bench.noop', dedupeKey: key, payload: { i } });
    });
    committedAt.set(key, performance.now());
  });
  await waitFor(() => outboxLatency.length >= TOTAL, 120_000);
  const outSeconds = (performance.now() - outStart) / 1000;
  const [pending] = await database.db.execute<{ n: number }>(dsql`SELECT count(*)::int AS n FROM outbox WHERE completed_at IS NULL`);
  await runtime.close();
  await database.close();

  const sortedBase = [...baseLatency].sort((a, b) => a - b);
  const sortedOut = [...outboxLatency].sort((a, b) => a - b);
  const p99 = (s: number[]) => s[Math.ceil(0.99 * s.length) - 1] ?? Number.NaN;
  report(`queue: ${TOTAL} jobs at ${RATE}/s`, [
    { metric: 'BullMQ alone throughput', value: TOTAL / baseSeconds, unit: 'jobs/s' },
    ...latencyRows('BullMQ alone add→completed', baseLatency),
    { metric: 'outbox path throughput', value: TOTAL / outSeconds, unit: 'jobs/s' },
    ...latencyRows('outbox commit→handled', outboxLatency),
    { metric: 'p99 ratio outbox/BullMQ', value: p99(sortedOut) / p99(sortedBase), unit: 'x' },
    { metric: 'rows left unfinished', value: Number(pending?.n ?? -1), unit: 'rows' },
    { metric: 'peak RSS (bench process)', value: peakRssMiB(), unit: 'MiB' },
  ]);
} finally {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  await scratch.drop();
}
process.exit(0);
