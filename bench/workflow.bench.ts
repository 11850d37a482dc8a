// Cases filed at a steady rate (as the web intake files a report without files) and routed by the workers:
// routed cases per second and submit-to-routed latency, beside BullMQ alone (add → completed)
// measured in the same run. "Routed" is the route-case job's commit: case_bodies checked,
// the timeline event, triage, the triage clock with its outbox rows, notifications, audit.
import { sql as dsql } from 'drizzle-orm';
import { loadConfig } from '../server/config.ts';
import { createDatabase } from '../server/db/client.ts';
import { createRedis } from '../server/redis.ts';
import { routingSnapshot } from '../server/services/intake-routing.service.ts';
import type { JobDefinition } from '../workers/job-definition.ts';
import routeCaseJob from '../workers/jobs/route-case.job.ts';
import { jobs, reconcileSteps } from '../workers/registry.ts';
import { startWorkers } from '../workers/runtime.ts';
import { createOutboxDispatcher } from '../workers/queues.ts';
import { INTAKE_TOPICS } from '../server/services/intake.service.ts';
import { deleteRedisPrefix } from '../test/support/cleanup.ts';
import { createWorkflowWorld, fileCase } from '../test/factories/case.ts';
import { benchSeconds, bullmqBaseline, cpuSecondsOf, latencyRows, paced, peakRssMiB, report, scratchDatabase, waitFor } from './lib.ts';

const RATE = Number(process.env['BENCH_RATE'] ?? 200);
const SECONDS = benchSeconds(30);
const TOTAL = RATE * SECONDS;

const p99 = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.ceil(0.99 * samples.length) - 1] ?? Number.NaN;

const scratch = await scratchDatabase('workflow');
const prefix = `mbbench-wf-${process.pid}`;
const config = loadConfig({ DATABASE_URL: scratch.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '60000', RECONCILE_EVERY_MS: '3600000' });
const redis = createRedis(config.redisUrl, 'worker');

try {
  // Baseline: BullMQ alone, at the same rate.
  const { latencies: baseLatency } = await bullmqBaseline({ redisUrl: config.redisUrl, prefix, total: TOTAL, rate: RATE });

  // The workflow: the intake's commit → relay → route-case job committed.
  const database = createDatabase(config.databaseUrl, { max: 20 });
  const world = await createWorkflowWorld(database.db);
  const submittedAt = new Map<string, number>();
  // A case can be routed before its submit call has returned to this loop: then it waits here.
  const routedEarly = new Map<string, number>();
  const routedLatency: number[] = [];
  let lastRouted = 0;
  let routedCount = 0;
  const timedRouteCase: JobDefinition = {
    ...routeCaseJob,
    async handler(ctx, payload, job) {
      const id = (payload as { caseId: string }).caseId;
      const result = await routeCaseJob.handler(ctx, { caseId: id }, job);
      lastRouted = performance.now();
      routedCount += 1;
      const t = submittedAt.get(id);
      if (t !== undefined) routedLatency.push(lastRouted - t);
      else routedEarly.set(id, lastRouted);
      return result;
    },
  };
  const runtime = await startWorkers({
    config, database, reconcileOnStart: false, reconcileSteps, concurrency: 8,
    jobs: jobs.map((j) => (j.name === routeCaseJob.name ? timedRouteCase : j)),
  });
  // As the API process hands a filed case's route job to Redis, on a request-path client of its own.
  const apiRedis = createRedis(config.redisUrl, 'request');
  const dispatcher = createOutboxDispatcher(jobs, [INTAKE_TOPICS.received], { connection: apiRedis, prefix: config.redisPrefix });
  const file = async (): Promise<{ id: string }> =>
    // As the web intake files a report without files: one statement, with the routing data
    // from the process's copy (at most a second old), then the job to Redis.
    fileCase(database, world, await routingSnapshot(database.db), dispatcher);
  const drainMs = Number(process.env['BENCH_DRAIN_MS'] ?? 300_000);
  // Warm-up, not measured: pool connections opened, statements prepared, code compiled, as in
  // a portal that has been running for a while.
  const warmup = RATE * 3;
  await paced(warmup, RATE, async () => {
    await file();
  });
  await waitFor(() => routedCount >= warmup, drainMs);

  const commits = async (): Promise<number> => {
    const [row] = await database.db.execute<{ n: string }>(dsql`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`);
    return Number(row?.n ?? Number.NaN);
  };
  const commitsBefore = await commits();
  const start = performance.now();
  const passesBefore = runtime.relay.stats.passes;
  const cpuBefore = { self: process.cpuUsage(), postgres: cpuSecondsOf('postgres') };
  await paced(TOTAL, RATE, async () => {
    const c = await file();
    const now = performance.now();
    const routed = routedEarly.get(c.id);
    if (routed === undefined) submittedAt.set(c.id, now);
    else routedLatency.push(Math.max(0, routed - now));
  });
  const submitSeconds = (performance.now() - start) / 1000;
  // Bounded: a run that cannot keep up reports what was routed in the time allowed.
  const drained = await waitFor(() => routedLatency.length >= TOTAL, drainMs).then(() => true, () => false);
  const routedSeconds = (lastRouted - start) / 1000;
  const selfCpu = process.cpuUsage(cpuBefore.self);
  const cpuMsPerCase = {
    self: (selfCpu.user + selfCpu.system) / 1000 / Math.max(1, routedLatency.length),
    postgres: ((cpuSecondsOf('postgres') - cpuBefore.postgres) * 1000) / Math.max(1, routedLatency.length),
  };
  const relayPasses = runtime.relay.stats.passes - passesBefore;
  // Backends report their counts to the statistics within a second or so.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const commitsPerCase = ((await commits()) - commitsBefore) / Math.max(1, routedLatency.length);
  const [left] = await database.db.execute<{ n: number }>(dsql`SELECT count(*)::int AS n FROM outbox WHERE completed_at IS NULL AND available_at <= now()`);
  await runtime.close();
  await dispatcher.close();
  apiRedis.disconnect();
  await database.close();

  report(`workflow: ${TOTAL} cases submitted at ${RATE}/s`, [
    { metric: 'submitted', value: TOTAL / submitSeconds, unit: 'cases/s' },
    { metric: 'routed', value: routedLatency.length / routedSeconds, unit: 'cases/s', ...(drained ? {} : { note: `only ${routedLatency.length} of ${TOTAL} within ${drainMs / 1000} s` }) },
    ...latencyRows('submit→routed', routedLatency),
    ...latencyRows('BullMQ alone add→completed', baseLatency).filter((r) => !r.metric.endsWith('p95')),
    { metric: 'p99 ratio routed/BullMQ', value: p99(routedLatency) / p99(baseLatency), unit: 'x' },
    // Where the machine's time goes, per case from submission to routed (this process runs the
    // submissions, the relay and the workers; Postgres counts every backend on the machine).
    { metric: 'CPU per case: this process', value: cpuMsPerCase.self, unit: 'ms' },
    { metric: 'CPU per case: Postgres', value: cpuMsPerCase.postgres, unit: 'ms' },
    // The filing's own commit is one of them.
    { metric: 'Postgres commits per case', value: commitsPerCase, unit: 'commits' },
    { metric: 'outbox relay passes per case', value: relayPasses / Math.max(1, routedLatency.length), unit: 'passes' },
    { metric: 'due outbox rows left unfinished', value: Number(left?.n ?? -1), unit: 'rows' },
    { metric: 'peak RSS (bench process)', value: peakRssMiB(), unit: 'MiB' },
  ]);
} finally {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  await scratch.drop();
}
process.exit(0);
