// Seeds the casework bench database: 1,000,000 cases with their case_bodies rows, made in
// Postgres by INSERT … SELECT over generate_series (no row-by-row round trips). The
// database (minhbach_bench_cases, or BENCH_CASES_DB) is kept and reused by later runs: a
// bench_seed row records what was seeded. `node --import tsx bench/seed-cases.ts` seeds only.
import postgres from 'postgres';
import { runMigrations } from '../server/db/migrate.ts';

export const CASES_DB = process.env['BENCH_CASES_DB'] ?? 'minhbach_bench_cases';
export const CASE_COUNT = Number(process.env['BENCH_CASES'] ?? 1_000_000);
/** The measured Front desk holds this share of all cases; nine other desks share the rest. */
const MEASURED_SHARE = 0.5;

export type SeededCases = { url: string; measuredBodyId: string; jurisdictionCode: string; cases: number; seconds: number; reused: boolean };

export function casesDbUrl(): string {
  const url = new URL(process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${CASES_DB}`;
  return url.toString();
}

export async function ensureSeededCases(log: (s: string) => void = console.log): Promise<SeededCases> {
  const url = casesDbUrl();
  await runMigrations(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`CREATE TABLE IF NOT EXISTS bench_seed (key text PRIMARY KEY, value jsonb NOT NULL)`;
    const [done] = await sql<Array<{ value: { measuredBodyId: string; jurisdictionCode: string; cases: number } }>>`SELECT value FROM bench_seed WHERE key = 'cases'`;
    if (done && done.value.cases === CASE_COUNT) {
      log(`reusing ${CASES_DB}: ${done.value.cases} cases already seeded`);
      return { url, ...done.value, seconds: 0, reused: true };
    }
    if (done) throw new Error(`${CASES_DB} holds ${done.value.cases} cases, not ${CASE_COUNT}: drop it (DROP DATABASE ${CASES_DB}) to reseed`);
    const started = performance.now();
    const j = 'BENCH';
    await sql.begin(async (tx) => {
      // Triggers (case_bodies.queue_due_on) and FK checks off: the copy is written here directly.
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`SET LOCAL maintenance_work_mem = '256MB'`;
      await tx`INSERT INTO jurisdictions (code, name_vi, name_en, level, parent_code) VALUES (${j}, 'Thành phố thử tải', 'Bench City', 'city', NULL) ON CONFLICT DO NOTHING`;
      await tx`INSERT INTO bodies (code, kind, level, jurisdiction_code, name_vi, name_en)
        SELECT 'bench-front-' || g, 'front_intake', 'city', ${j}, 'MTTQ thử tải ' || g, 'Bench Front ' || g FROM generate_series(0, 9) g`;
      await tx`INSERT INTO bodies (code, kind, level, jurisdiction_code, name_vi, name_en)
        SELECT 'bench-ubkt-' || g, 'inspection_committee', 'city', ${j}, 'UBKT thử tải ' || g, 'Bench UBKT ' || g FROM generate_series(0, 3) g`;
      log(`seeding ${CASE_COUNT} cases…`);
      // States, categories and deadlines spread by i; one case in ten has no deadline.
      // Ids, references and token hashes rise with g, so every unique index is appended to at
      // its right edge instead of written all over (random UUIDs made the seeding I/O-bound).
      await tx`INSERT INTO cases (id, public_ref, state, category, jurisdiction_code, channel, lookup_token_hash, reporter_public_key,
          received_on, next_due_on, overdue, is_anonymous, updated_at)
        SELECT lpad(to_hex(g), 32, '0')::uuid, 'MB-B' || lpad(to_hex(g), 7, '0'),
          (ARRAY['received','triage','triage','referred','verifying','accepted','needs_info','filed','concluded','closed'])[1 + g % 10],
          (ARRAY['land_resources','budget_assets','investment_construction','judiciary','organization_personnel'])[1 + g % 5],
          ${j}, 'web', int8send(g::bigint), sha256(int8send(g::bigint)),
          DATE '2026-01-01' + (g % 330),
          CASE WHEN g % 10 = 9 THEN NULL ELSE DATE '2026-11-01' + ((g::bigint * 7919) % 120)::int END,
          false, g % 3 = 0, now()
        FROM generate_series(1, ${CASE_COUNT}::int) g`;
      log('seeding case_bodies…');
      // Half of all cases go to desk 0 (the measured one); every case also to an inspection committee.
      await tx`INSERT INTO case_bodies (case_id, body_id, role, reason, queue_due_on, case_state)
        SELECT c.id, f.id, 'intake', '{}', coalesce(c.next_due_on, DATE '9999-12-31'), c.state
        FROM (SELECT id, next_due_on, state, CASE WHEN random() < ${MEASURED_SHARE} THEN 0 ELSE 1 + floor(random() * 9)::int END AS desk FROM cases ORDER BY id) c
        JOIN bodies f ON f.code = 'bench-front-' || c.desk`;
      await tx`INSERT INTO case_bodies (case_id, body_id, role, reason, queue_due_on, case_state)
        SELECT c.id, u.id, 'inspection', '{}', coalesce(c.next_due_on, DATE '9999-12-31'), c.state
        FROM (SELECT id, next_due_on, state, floor(random() * 4)::int AS k FROM cases ORDER BY id) c
        JOIN bodies u ON u.code = 'bench-ubkt-' || c.k`;
      const [measured] = await tx<Array<{ id: string }>>`SELECT id FROM bodies WHERE code = 'bench-front-0'`;
      await tx`INSERT INTO bench_seed (key, value) VALUES ('cases', ${tx.json({ measuredBodyId: measured?.id ?? '', jurisdictionCode: j, cases: CASE_COUNT })})`;
    });
    log('analyzing…');
    await sql`VACUUM ANALYZE cases`;
    await sql`VACUUM ANALYZE case_bodies`;
    const seconds = (performance.now() - started) / 1000;
    const [row] = await sql<Array<{ value: { measuredBodyId: string; jurisdictionCode: string; cases: number } }>>`SELECT value FROM bench_seed WHERE key = 'cases'`;
    if (!row) throw new Error('seed not recorded');
    log(`seeded in ${seconds.toFixed(1)} s`);
    return { url, ...row.value, seconds, reused: false };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureSeededCases();
}
