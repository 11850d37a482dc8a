// Shared helpers for benchmarks: percentiles, a result table, a throwaway database.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
