// Starts a real portal for browser tests and benchmarks: a fresh database with the demo
// deployment, the built web app, the API and the workers as child processes on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../../server/config.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { createDatabase } from '../../server/db/client.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { ensureWebBuild } from '../../scripts/web-build.ts';
import { deleteRedisPrefix, dropDatabase } from './cleanup.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type Portal = {
  baseUrl: string;
  databaseUrl: string;
  redisPrefix: string;
  dataDir: string;
  /** The file the API's and workers' output goes to. */
  logFile: string;
  /** Everything the API and workers wrote to stdout/stderr, for the plaintext scans. */
  logs: () => string;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(url: string, child: ChildProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.some((c) => c.exitCode !== null)) throw new Error('the portal exited during start-up');
    try {
      const res = await fetch(`${url}/api/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the portal did not become ready at ${url} within ${timeoutMs} ms`);
}

export async function startPortal(options: { env?: Record<string, string>; adminDatabaseUrl?: string; redisUrl?: string } = {}): Promise<Portal> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const adminUrl = options.adminDatabaseUrl ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = options.redisUrl ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/minhbach_e2e_${runId}`;
  const databaseUrl = dbUrl.toString();
  const redisPrefix = `mbe2e-${runId}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'minhbach-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    APP_MODE: 'demo', PORT: String(port), HOST: '127.0.0.1', PUBLIC_ORIGIN: baseUrl,
    DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix, DATA_DIR: dataDir,
    LOG_LEVEL: 'info', OUTBOX_POLL_MS: '2000',
    ...options.env,
  };
  // Fails fast on a bad override, before anything is created.
  loadConfig(env, ROOT);

  await runMigrations(databaseUrl);
  const database = createDatabase(databaseUrl, { max: 2 });
  try {
    await seedDemo(database.db, { rootKeyFile: path.join(dataDir, 'demo-root-signing.key') });
  } finally {
    await database.close();
  }
  await ensureWebBuild(() => {});

  let output = '';
  const logFile = path.join(dataDir, 'portal.log');
  const children = ['server/main.ts', 'workers/main.ts'].map((entry) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Kept in memory and in a file, so tests can scan what the processes logged.
    const log = (d: Buffer) => { output += d.toString('utf8'); appendFileSync(logFile, d); };
    child.stdout?.on('data', log);
    child.stderr?.on('data', log);
    return child;
  });

  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 8000).unref();
    }))));
    await dropDatabase(adminUrl, dbUrl.pathname.slice(1));
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await deleteRedisPrefix(redis, redisPrefix).finally(() => redis.disconnect());
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitReady(baseUrl, children, 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- portal output ---\n${output.slice(-4000)}`, { cause: err });
  }
  return { baseUrl, databaseUrl, redisPrefix, dataDir, logFile, logs: () => output, stop };
}
