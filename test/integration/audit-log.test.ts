// The audit log as auditors see it: every sign-in event recorded with ids only, read a page
// at a time, and a chain that names the first entry an attacker with database access changed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appendAudits } from '../../server/services/audit.service.ts';
import { authApp, call, createAccount, ensureDemo, freshIp, signIn, signInPassphrase, testClock, type Account, type Client } from './auth-helpers.ts';

const clock = testClock();
let app: FastifyInstance;
let auditor: Client;
let reviewer: Account;

beforeAll(async () => {
  app = await authApp(clock);
  await ensureDemo(app);
  auditor = await signIn(app, await createAccount(app, { bodyCode: 'ma-qt', role: 'auditor' }), clock);
  reviewer = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
});

afterAll(async () => {
  await app?.close();
});

type Entry = { id: number; action: string; actorId: string | null; resourceId: string | null; detail: Record<string, unknown> };
async function page(query: string): Promise<{ items: Entry[]; nextCursor: number | null }> {
  const res = await call(app, auditor, 'GET', `/api/audit${query}`);
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json();
}
const verify = async () => (await app.inject({ method: 'GET', url: '/api/audit/verify', remoteAddress: freshIp(), headers: { cookie: auditor.cookie } })).json();

describe('what the log records', () => {
  it('records failed and successful sign-ins, the second factor and sign-outs, by id and never by name or secret', async () => {
    await signInPassphrase(app, reviewer, 'wrong passphrase');
    const client = await signIn(app, reviewer, clock);
    await call(app, client, 'POST', '/api/auth/sign-out');
    const mine = await page(`?actorId=${reviewer.id}&limit=20`);
    const actions = mine.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.sign_in_failed', 'auth.passphrase_accepted', 'auth.signed_in', 'auth.signed_out']));
    const text = JSON.stringify(mine);
    expect(text).not.toContain(reviewer.username);
    expect(text).not.toContain('wrong passphrase');
    expect(mine.items.find((e) => e.action === 'auth.sign_in_failed')?.detail).toMatchObject({ reason: 'wrong_passphrase' });
  });

  it('filters by action prefix', async () => {
    const auth = await page('?action=auth.&limit=50');
    expect(auth.items.length).toBeGreaterThan(0);
    expect(auth.items.every((e) => e.action.startsWith('auth.'))).toBe(true);
  });
});

describe('reading the log', () => {
  it('pages newest first without gaps or overlaps', async () => {
    const first = await page('?limit=5');
    expect(first.items).toHaveLength(5);
    const ids = first.items.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const second = await page(`?limit=5&before=${first.nextCursor}`);
    expect(second.items[0]?.id).toBe((ids.at(-1) ?? 0) - 1);
  });

  it('is for auditors only', async () => {
    for (const [code, role] of [['ma-qt', 'administrator'], ['ma-mttq', 'front_reviewer'], ['ma-ubkt', 'inspection_lead']] as const) {
      const client = await signIn(app, await createAccount(app, { bodyCode: code, role }), clock);
      expect((await call(app, client, 'GET', '/api/audit')).statusCode, role).toBe(403);
      expect((await call(app, client, 'GET', '/api/audit/verify')).statusCode, role).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });
});

describe('appending several entries in one statement', () => {
  it('links them in the order given, each hashed as its own append would be', async () => {
    const resourceId = randomUUID();
    await app.database.db.transaction((tx) => appendAudits(tx, ['first', 'second', 'third'].map((n, i) => ({
      actorKind: 'system' as const, action: `test.batch.${n}`, resourceKind: 'test', resourceId, detail: { n: i },
    }))));
    const rows = await app.database.sql<Array<{ id: string; action: string }>>`SELECT id, action FROM audit_log WHERE resource_id = ${resourceId} ORDER BY id`;
    expect(rows.map((r) => r.action)).toEqual(['test.batch.first', 'test.batch.second', 'test.batch.third']);
    // The head stays locked until commit, so nothing else lands between them.
    expect(rows.map((r) => Number(r.id) - Number(rows[0]?.id))).toEqual([0, 1, 2]);
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe('tamper evidence', () => {
  /** As an attacker with superuser access: switch the append-only triggers off around `change`. */
  async function asAttacker(change: () => Promise<unknown>): Promise<void> {
    await app.database.sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`;
    try {
      await change();
    } finally {
      await app.database.sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`;
    }
  }

  it('verifies an untouched chain', async () => {
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('refuses edits through the application role’s normal path (the trigger)', async () => {
    await expect(app.database.sql`UPDATE audit_log SET action = 'x' WHERE id = 1`).rejects.toThrow(/append-only/);
    await expect(app.database.sql`DELETE FROM audit_log WHERE id = 1`).rejects.toThrow(/append-only/);
  });

  it('names the entry whose content was edited directly in Postgres', async () => {
    const target = (await page(`?actorId=${reviewer.id}&limit=1`)).items[0]!;
    const [original] = await app.database.sql`SELECT detail FROM audit_log WHERE id = ${target.id}`;
    await asAttacker(() => app.database.sql`UPDATE audit_log SET detail = ${JSON.stringify({ reason: 'nothing happened' })}::jsonb WHERE id = ${target.id}`);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: target.id, problem: 'hash_mismatch' });
    } finally {
      await asAttacker(() => app.database.sql`UPDATE audit_log SET detail = ${JSON.stringify(original!['detail'])}::jsonb WHERE id = ${target.id}`);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('names an entry whose hash format was switched', async () => {
    const target = (await page('?limit=2')).items[1]!;
    await asAttacker(() => app.database.sql`UPDATE audit_log SET hash_version = 1 WHERE id = ${target.id}`);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: target.id, problem: 'hash_mismatch' });
    } finally {
      await asAttacker(() => app.database.sql`UPDATE audit_log SET hash_version = 2 WHERE id = ${target.id}`);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('names the place where an entry was deleted', async () => {
    const target = (await page('?limit=3')).items[2]!;
    const [row] = await app.database.sql`SELECT * FROM audit_log WHERE id = ${target.id}`;
    await asAttacker(() => app.database.sql`DELETE FROM audit_log WHERE id = ${target.id}`);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: target.id });
    } finally {
      const r = row!;
      await asAttacker(() => app.database.sql`
        INSERT INTO audit_log (id, at, actor_kind, actor_id, action, resource_kind, resource_id, detail, prev_hash, hash, hash_version)
        VALUES (${r['id']}, ${r['at']}, ${r['actor_kind']}, ${r['actor_id']}, ${r['action']}, ${r['resource_kind']}, ${r['resource_id']},
                ${JSON.stringify(r['detail'])}::jsonb, ${r['prev_hash']}, ${r['hash']}, ${r['hash_version']})`);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});
