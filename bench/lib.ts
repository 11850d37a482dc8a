// Shared helpers for benchmarks: percentiles, a result table, a throwaway database.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../server/redis.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { dropDatabase } from '../test/support/cleanup.ts';

export type Row = { metric: string; value: number; unit: string; note?: string };

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function latencyRows(label: string, samplesMs: number[]): Row[] {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return [50, 95, 99].map((p) => ({ metric: `${label} p${p}`, value: percentile(sorted, p), unit: 'ms' }));
}

const fmt = (v: number): string => (Number.isNaN(v) ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

/** Prints the bench's table and one machine-readable line the runner collects. */
export function report(name: string, rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.metric.length), 6);
  console.log(`\n${name}`);
  for (const r of rows) console.log(`  ${r.metric.padEnd(width)}  ${fmt(r.value).padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
  console.log(`BENCH_RESULT ${JSON.stringify({ name, rows })}`);
}

/** Peak resident set size of a process, from /proc (Linux). */
export function peakRssMiB(pid: number | 'self' = 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU seconds (user + system) used so far by every process with this command name (Linux /proc). */
export function cpuSecondsOf(command: string): number {
  const tick = 100; // USER_HZ: 100 on Linux for every architecture Node supports
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== command) continue;
      const fields = stat.slice(close + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/** A migrated database for one benchmark run, dropped by the returned function. */
export async function scratchDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `minhbach_bench_${tag}_${randomBytes(3).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return { url: url.toString(), drop: () => dropDatabase(admin, name) };
}

export const benchSeconds = (fallback: number): number => Number(process.env['BENCH_SECONDS'] ?? fallback);

/** Fires `total` calls at a steady `rate` per second, not waiting for one before the next. */
export async function paced(total: number, rate: number, fire: (i: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(fire(i));
  }
  await Promise.all(inflight);
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out waiting for completions');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The baseline both queue benchmarks compare with: BullMQ alone, add → completed, at a steady rate. */
export async function bullmqBaseline(opts: { redisUrl: string; prefix: string; total: number; rate: number }): Promise<{ latencies: number[]; seconds: number }> {
  const queue = new Queue('{bench}.base', { connection: createRedis(opts.redisUrl, 'worker'), prefix: opts.prefix });
  const worker = new Worker('{bench}.base', async () => undefined, { connection: createRedis(opts.redisUrl, 'worker'), prefix: opts.prefix, concurrency: 5 });
  const added = new Map<string, number>();
  const latencies: number[] = [];
  worker.on('completed', (job) => {
    const t = added.get(job.id ?? '');
    if (t !== undefined) latencies.push(performance.now() - t);
  });
  await worker.waitUntilReady();
  const started = performance.now();
  await paced(opts.total, opts.rate, async (i) => {
    added.set(`b${i}`, performance.now());
    await queue.add('noop', {}, { jobId: `b${i}`, removeOnComplete: true });
  });
  await waitFor(() => latencies.length >= opts.total, 60_000);
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  return { latencies, seconds };
}
