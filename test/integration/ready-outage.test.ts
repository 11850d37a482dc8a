// Stopping a real dependency makes /api/ready answer 503 naming it, and starting it again
// brings 200 back without restarting the app. Each test runs its own throwaway server
// (a Redis on a free port, a PostgreSQL cluster in a temp directory) so the shared
// services other tests use are never stopped.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { freePort } from '../support/portal.ts';
import { testConfig } from './harness.ts';

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

function startRedis(port: number): ChildProcess {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  return child;
}

const stopChild = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); });

describe('readiness across a real Redis outage', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('answers 503 naming Redis while it is stopped and 200 once it is back', async () => {
    const port = await freePort();
    let redis = startRedis(port);
    cleanups.push(() => stopChild(redis));
    const app = await buildApp({ config: testConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }), logger: false });
    cleanups.push(() => app.close());
    const ready = async () => (await app.inject({ method: 'GET', url: '/api/ready' }));

    await until(async () => (await ready()).statusCode === 200);
    await stopChild(redis);
    const down = await ready();
    expect(down.statusCode).toBe(503);
    expect(down.json().failing).toEqual(['redis']);

    redis = startRedis(port);
    await until(async () => (await ready()).statusCode === 200);
    expect((await ready()).json().failing).toEqual([]);
  });
});

const pgBin = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort().pop();
  return version ? path.join(root, version, 'bin') : null;
})();

describe.skipIf(!pgBin)('readiness across a real PostgreSQL outage', () => {
  it('answers 503 naming Postgres while it is stopped and 200 once it is back', async () => {
    const bin = pgBin as string;
    const dir = mkdtempSync(path.join(tmpdir(), 'minhbach-pg-'));
    const port = await freePort();
    // PostgreSQL refuses to run as root; the cluster belongs to the postgres user.
    const asPostgres = (cmd: string, args: string[]) =>
      process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(dir, uid, gid);
    }
    const data = path.join(dir, 'data');
    asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const pgCtl = (action: 'start' | 'stop') => asPostgres(path.join(bin, 'pg_ctl'), [
      '-D', data, '-w', '-l', path.join(dir, 'log'), ...(action === 'start' ? ['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`] : ['-m', 'immediate']), action,
    ]);
    pgCtl('start');
    const app = await buildApp({ config: testConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres` }), logger: false });
    try {
      const ready = () => app.inject({ method: 'GET', url: '/api/ready' });
      await until(async () => (await ready()).statusCode === 200);
      pgCtl('stop');
      const down = await ready();
      expect(down.statusCode).toBe(503);
      expect(down.json().failing).toEqual(['postgres']);
      pgCtl('start');
      await until(async () => (await ready()).statusCode === 200);
    } finally {
      await app.close();
      try { pgCtl('stop'); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
