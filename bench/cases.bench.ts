// The casework queue at a million cases: GET /api/cases through the whole app (session,
// policy, keyset query, working-day badges, response schema) via app.inject, for the first
// page and a page 10,000 cases deep, beside the bare keyset SQL measured in the same run.
// The seeded database is kept between runs (bench/seed-cases.ts).
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { encodeQueueCursor } from '../server/domain/queue.ts';
import { createStaff } from '../server/services/bootstrap.service.ts';
import { openSession } from '../server/services/session.service.ts';
import { deleteRedisPrefix } from '../test/support/cleanup.ts';
import { latencyRows, percentile, report, type Row } from './lib.ts';
import { CASES_DB, ensureSeededCases } from './seed-cases.ts';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 400);
const WARMUP = 50;
const PAGE = 50;
const DEPTH = 10_000;

const seeded = await ensureSeededCases((s) => console.log(s));
const prefix = `mbbench-cases-${process.pid}`;
const config = loadConfig({ DATABASE_URL: seeded.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' });
const app = await buildApp({ config, logger: false });
await app.ready();
const sql = postgres(seeded.url, { max: 1, onnotice: () => {} });

try {
  const db = app.database.db;
  const staffId = await db.transaction((tx) => createStaff(tx, {
    bodyId: seeded.measuredBodyId, username: `bench.${randomBytes(4).toString('hex')}`, displayName: 'Bench reviewer',
    role: 'front_reviewer', passphrase: `bench ${randomBytes(8).toString('hex')}`, isTemporary: false,
  }));
  const session = await openSession(db, app.authDeps.keys, staffId, new Date(), true);
  const cookie = `mb_staff=${session.token}`;

  // The key of the 10,000th case in the desk's queue: the cursor a reader walking there would hold.
  const [deep] = await sql<Array<{ due: string; id: string }>>`SELECT queue_due_on::text AS due, case_id::text AS id FROM case_bodies
    WHERE body_id = ${seeded.measuredBodyId} ORDER BY queue_due_on, case_id OFFSET ${DEPTH - 1} LIMIT 1`;
  if (!deep) throw new Error('fewer cases than the depth');
  const deepCursor = encodeQueueCursor({ dueOn: deep.due, caseId: deep.id });

  // Per-request addresses: the global per-client rate limit is not what is measured.
  const ip = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  async function api(url: string, items = PAGE): Promise<number> {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie }, remoteAddress: ip() });
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    const body = res.json() as { items?: unknown[] };
    if (items > 0 && body.items?.length !== items) throw new Error(`${url}: ${body.items?.length} items`);
    return ms;
  }
  // The same keyset query without the app: join, order, limit, no filters beyond the body.
  async function bare(after: { due: string; id: string } | null): Promise<number> {
    const t = performance.now();
    const rows = after
      ? await sql`SELECT c.id, c.public_ref, c.state, c.next_due_on FROM case_bodies cb JOIN cases c ON c.id = cb.case_id
          WHERE cb.body_id = ${seeded.measuredBodyId} AND (cb.queue_due_on, cb.case_id) > (${after.due}::date, ${after.id}::uuid)
          ORDER BY cb.queue_due_on, cb.case_id LIMIT ${PAGE + 1}`
      : await sql`SELECT c.id, c.public_ref, c.state, c.next_due_on FROM case_bodies cb JOIN cases c ON c.id = cb.case_id
          WHERE cb.body_id = ${seeded.measuredBodyId} ORDER BY cb.queue_due_on, cb.case_id LIMIT ${PAGE + 1}`;
    const ms = performance.now() - t;
    if (rows.length !== PAGE + 1) throw new Error('short page');
    return ms;
  }

  // Round-robin: each round measures every kind once, so background load on the shared
  // machine falls on all of them alike.
  const kinds = {
    me: () => api('/api/staff/me', 0),
    apiFirst: () => api(`/api/cases?limit=${PAGE}`),
    apiDeep: () => api(`/api/cases?limit=${PAGE}&after=${deepCursor}`),
    apiState: () => api(`/api/cases?limit=${PAGE}&state=needs_info`),
    sqlFirst: () => bare(null),
    sqlDeep: () => bare(deep),
  };
  const samples = Object.fromEntries(Object.keys(kinds).map((k) => [k, [] as number[]])) as Record<keyof typeof kinds, number[]>;
  for (let i = 0; i < WARMUP + ITERATIONS; i += 1) {
    for (const [k, fn] of Object.entries(kinds) as Array<[keyof typeof kinds, () => Promise<number>]>) {
      const ms = await fn();
      if (i >= WARMUP) samples[k].push(ms);
    }
  }
  const { me: apiMe, apiFirst, apiDeep, apiState, sqlFirst, sqlDeep } = samples;
  // Counts walk the whole desk (documented): a few samples show what that costs at this size.
  const counts: number[] = [];
  for (let i = 0; i < 12; i += 1) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: '/api/cases/counts', headers: { cookie }, remoteAddress: ip() });
    if (res.statusCode !== 200) throw new Error(`counts: ${res.statusCode}`);
    if (i >= 2) counts.push(performance.now() - t);
  }

  const p = (s: number[], q: number): number => percentile([...s].sort((a, b) => a - b), q);
  const [{ n: deskCases } = { n: 0 }] = await sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM case_bodies WHERE body_id = ${seeded.measuredBodyId}`;
  const rows: Row[] = [
    { metric: 'cases seeded', value: seeded.cases, unit: 'cases', note: `${CASES_DB}${seeded.reused ? ', reused' : `, seeded in ${seeded.seconds.toFixed(0)} s`}` },
    { metric: 'cases in the measured desk', value: deskCases, unit: 'cases' },
    ...latencyRows('API first page', apiFirst),
    ...latencyRows(`API page ${DEPTH} deep`, apiDeep),
    ...latencyRows('API first page, state=needs_info', apiState),
    ...latencyRows('baseline: GET /api/staff/me', apiMe),
    { metric: 'GET /api/cases/counts p50 (whole desk)', value: p(counts, 50), unit: 'ms' },
    ...latencyRows('bare SQL first page', sqlFirst),
    ...latencyRows(`bare SQL ${DEPTH} deep`, sqlDeep),
    { metric: 'API / SQL p50, first page', value: p(apiFirst, 50) / p(sqlFirst, 50), unit: '×' },
    { metric: `API / SQL p50, ${DEPTH} deep`, value: p(apiDeep, 50) / p(sqlDeep, 50), unit: '×' },
    { metric: 'API p95 within 10 ms', value: p(apiFirst, 95) <= 10 && p(apiDeep, 95) <= 10 ? 1 : 0, unit: 'yes=1' },
  ];
  report('cases', rows);
} finally {
  await sql.end({ timeout: 5 });
  await deleteRedisPrefix(app.redis, `${prefix}:`);
  await app.close();
}
