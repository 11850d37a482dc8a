// Shared by bench/intake.bench.ts and bench/upload.bench.ts: a portal in a child process
// (the real app plus bare comparison routes), and request bodies shaped like the browser's.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { scratchDatabase } from './lib.ts';
import { createDatabase } from '../server/db/client.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { deriveSubkey, loadServerSecret } from '../server/secrets.ts';
import { deleteRedisPrefix } from '../test/support/cleanup.ts';
import type { CreateCaseBody } from '../server/schemas/intake.ts';
import { API_NODE_FLAGS } from '../scripts/api-node-flags.ts';
import { buildServer } from '../scripts/build-server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const drawRef = (): string => {
  const s = Array.from(randomBytes(8), (x) => CROCKFORD.charAt(x & 31)).join('');
  return `MB-${s.slice(0, 4)}-${s.slice(4)}`;
};
/** Shaped like real ciphertext (format byte, lengths): the server checks shapes and never opens it. */
export const fakeSealedKey = (): string => b64(Buffer.concat([Buffer.of(0x11), randomBytes(80)]));
export const fakeTextEnvelope = (blocks: number): string => b64(Buffer.concat([Buffer.of(0x21), randomBytes(40 + 256 * blocks)]));

/** Child mode: the real app plus bare routes for comparison, on a free port; prints READY <port>. */
export async function serveForBench(): Promise<void> {
  const { loadConfigOrExit } = await import('../server/config.ts');
  const { buildApp } = await import('../server/app.ts');
  const multipart = (await import('@fastify/multipart')).default;
  const config = loadConfigOrExit();
  const app = await buildApp({ config, logger: false });
  const sql = app.database.sql;
  await sql`CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, payload bytea NOT NULL)`;
  app.post('/bench/bare-insert', { config: { rateLimit: false } }, async (request) => {
    const { payload } = request.body as { payload: string };
    await sql`INSERT INTO bench_bare (payload) VALUES (${Buffer.from(payload, 'base64url')})`;
    return { ok: true };
  });
  // The filing's own database write behind a bare route: the same body, decoded without
  // checks, routed once, written by the same one statement. What is left between this and the
  // real route is the application's part (validation, proof of work, routing, responses).
  const { resolveIntakeRouting } = await import('../server/services/intake-routing.service.ts');
  const { webFiling } = await import('../server/services/intake.service.ts');
  const { writeFiling } = await import('../server/repositories/intake-filing.repository.ts');
  const { hashLookupToken, initCrypto } = await import('../server/crypto/index.ts');
  const { localDateOf } = await import('../server/domain/calendar.ts');
  await initCrypto();
  const routings = new Map<string, ReturnType<typeof resolveIntakeRouting>>();
  app.post('/bench/bare-filing', { config: { rateLimit: false } }, async (request) => {
    const body = request.body as CreateCaseBody;
    const day = localDateOf(new Date());
    const key = `${body.category}/${body.jurisdictionCode}/${body.cadreId ?? ''}/${day}`;
    let routing = routings.get(key);
    if (!routing) routings.set(key, (routing = resolveIntakeRouting(app.database.db, body, day)));
    const bytes = (s: string): Buffer => Buffer.from(s, 'base64url');
    const written = await writeFiling(sql, webFiling({
      caseId: randomUUID(), publicRef: body.publicRef, category: body.category, jurisdictionCode: body.jurisdictionCode, noticeActionId: null,
      channel: body.channel, language: body.language, routing: await routing, day, lookupTokenHash: hashLookupToken(bytes(body.lookupToken)),
      reporterPublicKey: bytes(body.reporterPublicKey), report: bytes(body.report), identity: null,
      wraps: body.wraps.map((w) => ({ ...w, sealedKey: bytes(w.sealedKey) })), attachments: [],
    }));
    return { ok: written.ok };
  });
  await app.register(async (scope) => {
    await scope.register(multipart);
    scope.post('/bench/bare-upload', { config: { rateLimit: false } }, async (request) => {
      const file = await request.file({ limits: { fileSize: 64 * 1024 * 1024 } });
      if (!file) throw new Error('no file');
      await pipeline(file.file, createWriteStream(path.join(config.dataDir, 'bare-upload.bin'), { flags: 'a' }));
      return { ok: true };
    });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

export type BenchServer = { port: number; pid: number; stop: () => Promise<void> };

export type BenchPortal = {
  dataDir: string;
  databaseUrl: string;
  powKey: Uint8Array;
  start: (script: string, env?: Record<string, string>) => Promise<BenchServer>;
  close: () => Promise<void>;
};

/** A scratch database with the demo deployment, a data directory and a Redis prefix. */
export async function benchPortal(tag: string): Promise<BenchPortal> {
  const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const dataDir = mkdtempSync(path.join(tmpdir(), `minhbach-bench-${tag}-`));
  const serverSecretFile = path.join(dataDir, 'server-secret.key');
  const db = await scratchDatabase(tag);
  const redisPrefix = `mbbench-${randomBytes(3).toString('hex')}`;
  const seeding = createDatabase(db.url, { max: 2 });
  await seedDemo(seeding.db, { rootKeyFile: path.join(dataDir, 'demo-root.key'), serverSecretFile, pwhashLimits: { opslimit: 1, memlimit: 8192 } });
  await seeding.close();
  const powKey = deriveSubkey(await loadServerSecret({ mode: 'demo', serverSecretFile }), 'pow-challenge');
  const children: ChildProcess[] = [];

  const start = async (script: string, env: Record<string, string> = {}): Promise<BenchServer> => {
    // BENCH_PROFILE=<dir> writes a V8 CPU profile of the server for finding where the time goes.
    const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
    // Compiled and flagged as `npm start` runs the API (scripts/start.ts), so the figures are the users'.
    const bundle = await buildServer(script);
    const child = spawn(process.execPath, [...API_NODE_FLAGS, ...profile, bundle, '--serve'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...(process.env as Record<string, string>), APP_MODE: 'demo', DATABASE_URL: db.url, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix,
        DATA_DIR: dataDir, SERVER_SECRET_FILE: serverSecretFile, LOG_LEVEL: 'silent',
        // Lifted for the benchmark only: every request here comes from one address.
        POW_DIFFICULTY: '0', SUBMIT_RATE_LIMIT: '1000000', LOOKUP_RATE_LIMIT: '1000000',
        ...env,
      },
    });
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const m = /READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    const stop = (): Promise<void> => (child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }));
    return { port, pid: child.pid ?? 0, stop };
  };

  const close = async (): Promise<void> => {
    await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5000).unref();
    }))));
    await db.drop();
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await deleteRedisPrefix(redis, redisPrefix).finally(() => redis.disconnect());
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { dataDir, databaseUrl: db.url, powKey, start, close };
}

export async function getJson<T>(port: number, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
