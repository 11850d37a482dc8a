import type postgres from 'postgres';
import type { Redis } from 'ioredis';

export type CheckResult = { ok: boolean; latencyMs: number; error?: string };
export type Readiness = {
  status: 'ready' | 'unavailable';
  checks: { postgres: CheckResult; redis: CheckResult };
  failing: string[];
};

const TIMEOUT_MS = 2000;

async function timed(probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // A short class of failure, never a connection string.
    const code = (err as { code?: string }).code;
    const message = err instanceof Error && err.message === 'timed out' ? 'timed out' : (code ?? 'unreachable');
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(deps: { sql: postgres.Sql; redis: Redis }): Promise<Readiness> {
  const [pg, redis] = await Promise.all([
    timed(() => deps.sql`SELECT 1`),
    timed(async () => {
      const pong = await deps.redis.ping();
      if (pong !== 'PONG') throw new Error('bad reply');
    }),
  ]);
  const failing = [...(pg.ok ? [] : ['postgres']), ...(redis.ok ? [] : ['redis'])];
  return { status: failing.length === 0 ? 'ready' : 'unavailable', checks: { postgres: pg, redis }, failing };
}
