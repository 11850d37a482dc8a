// Filing throughput: sealed ~2 KB reports posted at 50 concurrent connections to the real
// API (validation, routing, one transaction with the case, envelopes, wraps, routed bodies,
// event, outbox row and audit entry), beside a bare Fastify route doing one 2 KB INSERT in
// the same run; then receipt lookups per second. The server is a child process (this
// script with --serve); this process only generates load.
//   node --import tsx bench/intake.bench.ts        BENCH_SECONDS (default 10)
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { bigserial, customType, pgTable } from 'drizzle-orm/pg-core';
import { sql as dsql } from 'drizzle-orm';
import { benchSeconds, latencyRows, report, type Row } from './lib.ts';
import { benchPortal, b64, drawRef, fakeSealedKey, fakeTextEnvelope, getJson, serveForBench } from './intake-support.ts';
import { createDatabase } from '../server/db/client.ts';
import { issueChallenge } from '../server/services/pow.service.ts';
import type { CreateCaseBody, RoutingPreviewResponse } from '../server/schemas/intake.ts';

const CONCURRENCY = 50;

type Outcome = { ok: number; failed: number; latencies: number[]; seconds: number };

/** `CONCURRENCY` loops of back-to-back requests for `seconds`, over kept-alive connections. */
async function load(port: number, seconds: number, next: () => { path: string; body: string }): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const one = (req: { path: string; body: string }): Promise<{ status: number; body: string }> => new Promise((resolve, reject) => {
    const r = http.request({
      host: '127.0.0.1', port, method: 'POST', path: req.path, agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    r.on('error', reject);
    r.end(req.body);
  });
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const req = next();
      const t0 = performance.now();
      const res = await one(req);
      latencies.push(performance.now() - t0);
      if (res.status >= 200 && res.status < 300) ok += 1;
      else if (++failed <= 3) console.error(`  ${req.path} → ${res.status} ${res.body.slice(0, 300)}`);
    }
  }));
  agent.destroy();
  return { ok, failed, latencies, seconds: (performance.now() - started) / 1000 };
}

/** Adds `run` into the first of `into` (or returns it alone). */
function merge(run: Outcome, into: Outcome[]): Outcome {
  const target = into[0];
  if (!target) return run;
  target.ok += run.ok;
  target.failed += run.failed;
  target.seconds += run.seconds;
  for (const l of run.latencies) target.latencies.push(l);
  return target;
}

const benchBare = pgTable('bench_bare', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  payload: customType<{ data: Buffer }>({ dataType: () => 'bytea' })('payload').notNull(),
});

/**
 * What drizzle's own .prepare() still saves: the same insert built each time (the client still
 * prepares it in Postgres, server/db/client.ts) or built once.
 */
async function measurePrepared(url: string): Promise<Row[]> {
  const database = createDatabase(url, { max: 1 });
  const payload = randomBytes(2048);
  const n = 3000;
  const rate = async (fn: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return n / ((performance.now() - t0) / 1000);
  };
  const prepared = database.db.insert(benchBare).values({ payload: dsql.placeholder('payload') as unknown as Buffer }).prepare('bench_bare_insert');
  await rate(() => prepared.execute({ payload }));
  const plain = await rate(() => database.db.insert(benchBare).values({ payload }));
  const prep = await rate(() => prepared.execute({ payload }));
  await database.close();
  return [
    { metric: 'drizzle insert, built each time', value: plain, unit: 'rows/s', note: '1 connection, sequential; prepared in Postgres either way' },
    { metric: 'drizzle insert, built once (.prepare())', value: prep, unit: 'rows/s' },
  ];
}

async function main(): Promise<void> {
  const seconds = benchSeconds(10);
  const loadBefore = os.loadavg()[0] ?? 0;
  const portal = await benchPortal('intake');
  try {
    const server = await portal.start(fileURLToPath(import.meta.url));
    const { port } = server;
    const cadres = await getJson<{ items: Array<{ id: string; jurisdictionCode: string }> }>(port, '/api/public/cadres?limit=1&q=nguyen');
    const cadre = cadres.items[0];
    if (!cadre) throw new Error('the demo has no cadre');
    const routing = { category: 'budget_assets' as const, jurisdictionCode: cadre.jurisdictionCode, cadreId: cadre.id };
    const preview = await getJson<RoutingPreviewResponse>(port, '/api/public/routing-preview', routing);

    const tokens: string[] = [];
    const filing = (): { path: string; body: string } => {
      const body: CreateCaseBody = {
        // 8 padding blocks: a 2 KB report, the size of a typical written account.
        publicRef: drawRef(), ...routing, language: 'vi', channel: 'web', report: fakeTextEnvelope(8),
        wraps: [
          { keyKind: 'case', recipientKind: 'reporter', sealedKey: fakeSealedKey() },
          ...preview.recipients.map((r) => ({ keyKind: 'case' as const, recipientKind: 'body' as const, bodyId: r.bodyId, bodyKeyVersion: r.keyVersion, sealedKey: fakeSealedKey() })),
        ],
        lookupToken: b64(randomBytes(32)), reporterPublicKey: b64(randomBytes(32)), attachments: [],
        pow: { challenge: issueChallenge(portal.powKey, 0).challenge, nonce: '0' },
      };
      if (tokens.length < 50_000) tokens.push(body.lookupToken);
      return { path: '/api/public/cases', body: JSON.stringify(body) };
    };
    const bare = (): { path: string; body: string } => ({ path: '/bench/bare-insert', body: JSON.stringify({ payload: b64(randomBytes(2048)) }) });
    const bareFiling = (): { path: string; body: string } => ({ ...filing(), path: '/bench/bare-filing' });

    console.log(`warming up; then ${seconds} s per phase at ${CONCURRENCY} connections (${preview.recipients.length} routed bodies)`);
    await load(port, 2, bare);
    await load(port, 2, filing);
    await load(port, 1, bareFiling);
    // Bare, filing, write alone, and back: drift in what else the machine is doing cancels out.
    const bareRun = merge(await load(port, seconds / 2, bare), []);
    const realRun = merge(await load(port, seconds / 2, filing), []);
    const writeRun = merge(await load(port, seconds / 2, bareFiling), []);
    merge(await load(port, seconds / 2, bareFiling), [writeRun]);
    merge(await load(port, seconds / 2, filing), [realRun]);
    merge(await load(port, seconds / 2, bare), [bareRun]);
    let i = 0;
    const lookupRun = await load(port, seconds, () => {
      i = (i + 7919) % tokens.length;
      return { path: '/api/public/lookup', body: JSON.stringify({ lookupToken: tokens[i] }) };
    });
    await server.stop();

    const bareRate = bareRun.ok / bareRun.seconds;
    const realRate = realRun.ok / realRun.seconds;
    const writeRate = writeRun.ok / writeRun.seconds;
    const realP99 = latencyRows('x', realRun.latencies)[2]?.value ?? Number.NaN;
    report('intake', [
      { metric: 'bare route: one 2 KB INSERT', value: bareRate, unit: 'req/s', note: `${bareRun.failed} failed` },
      ...latencyRows('bare route', bareRun.latencies),
      { metric: 'sealed report filing', value: realRate, unit: 'reports/s', note: `${realRun.failed} failed` },
      ...latencyRows('filing', realRun.latencies),
      { metric: 'filing / bare ratio', value: realRate / bareRate, unit: 'x', note: `target ≥ 0.5; p99 ${realP99.toFixed(1)} ms, target ≤ 50 ms` },
      // The filing writes ~10 rows in 7 tables (with their indexes, foreign keys and the audit
      // chain) where the bare route writes one: this row is that write alone behind a bare route.
      { metric: "bare route: the filing's one statement", value: writeRate, unit: 'req/s', note: `${writeRun.failed} failed` },
      ...latencyRows('filing write alone', writeRun.latencies),
      { metric: 'filing / its write alone', value: realRate / writeRate, unit: 'x', note: 'what validation, proof of work, routing and responses cost on top' },
      { metric: 'receipt lookups', value: lookupRun.ok / lookupRun.seconds, unit: 'lookups/s', note: `${lookupRun.failed} failed; target ≥ 2000` },
      ...latencyRows('lookup', lookupRun.latencies),
      ...(await measurePrepared(portal.databaseUrl)),
      // Other work on the machine skews every figure above; the ratios less so.
      { metric: 'machine load (1-min average)', value: os.loadavg()[0] ?? 0, unit: '', note: `${os.cpus().length} cores; ${loadBefore.toFixed(2)} at the start` },
    ]);
  } finally {
    await portal.close();
  }
}

if (process.argv.includes('--serve')) await serveForBench();
else await main();
