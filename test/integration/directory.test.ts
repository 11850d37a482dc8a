// The cadre directory for staff: search without diacritics, CSV import all-or-nothing with
// the bad lines named, the managing jurisdiction's desk (or an administrator) keeps it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { cadres } from '../../drizzle/schema/index.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { authApp, call, createAccount, ensureDemo, signIn, testClock, type Client } from './auth-helpers.ts';

const HEADER = 'full_name,position,unit_name,jurisdiction_code,level,managing_level,managing_jurisdiction_code';

describe('cadre directory', () => {
  let app: FastifyInstance;
  let officer: Client;
  let districtOfficer: Client;
  let admin: Client;
  let lead: Client;
  const tag = randomBytes(3).toString('hex');

  beforeAll(async () => {
    const clock = testClock();
    app = await authApp(clock);
    await ensureDemo(app);
    officer = await signIn(app, await createAccount(app, { bodyCode: 'ma-btc', role: 'personnel_officer' }), clock);
    districtOfficer = await signIn(app, await createAccount(app, { bodyCode: 'ma-bm-btc', role: 'personnel_officer' }), clock);
    admin = await signIn(app, await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' }), clock);
    lead = await signIn(app, await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead' }), clock);
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  const names = async (q: string, client = officer) =>
    ((await call(app, client, 'GET', `/api/directory/cadres?q=${encodeURIComponent(q)}`)).json().items as Array<{ fullName: string }>).map((c) => c.fullName);

  it('imports a valid file whole, and finds "nguyen van a" as "Nguyễn Văn A"', async () => {
    const csv = `${HEADER}\nNguyễn Văn Ánh ${tag},Phó Giám đốc,"Sở Tài chính, TP",MA,city,city,MA\nĐỗ Thị Đào ${tag},Trưởng phòng,Sở Nội vụ,MA,city,city,MA\n`;
    const res = await call(app, officer, 'POST', '/api/directory/cadres/import', { csv });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2 });
    expect(await names(`nguyen van anh ${tag}`)).toEqual([`Nguyễn Văn Ánh ${tag}`]);
    expect(await names(`do thi dao ${tag}`)).toEqual([`Đỗ Thị Đào ${tag}`]);
  });

  it('pages the search by name without gaps or repeats, and refuses a cursor it did not write', async () => {
    const page = (after?: string) => call(app, officer, 'GET', `/api/directory/cadres?q=${tag}&limit=1${after ? `&after=${after}` : ''}`);
    const first = (await page()).json() as { items: Array<{ fullName: string }>; nextCursor: string | null };
    expect(first.nextCursor).not.toBeNull();
    const second = (await page(first.nextCursor!)).json() as { items: Array<{ fullName: string }> };
    expect([...first.items, ...second.items].map((c) => c.fullName)).toEqual([`Đỗ Thị Đào ${tag}`, `Nguyễn Văn Ánh ${tag}`]);
    const bad = await page(Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a file with a bad row, naming its line and column, and imports nothing of it', async () => {
    const csv = `${HEADER}\nTrần Hợp Lệ ${tag},Chuyên viên,Sở Y tế,MA,city,city,MA\nLê Sai Cấp ${tag},Chuyên viên,Sở Y tế,MA,tinh,city,MA\n`;
    const res = await call(app, officer, 'POST', '/api/directory/cadres/import', { csv });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.problems).toEqual([{ line: 3, column: 'level', code: 'unknown_level' }]);
    expect(await names(`tran hop le ${tag}`)).toEqual([]);
    expect(await app.database.db.select().from(cadres).where(eq(cadres.fullName, `Trần Hợp Lệ ${tag}`))).toEqual([]);
  });

  it('keeps each desk to the cadres its jurisdiction manages; administrators keep all; inspection staff none', async () => {
    const cityManaged = `${HEADER}\nPhạm Thành Phố ${tag},Chuyên viên,Sở Y tế,MA,city,city,MA\n`;
    const refused = await call(app, districtOfficer, 'POST', '/api/directory/cadres/import', { csv: cityManaged });
    expect(refused.json().error.details.problems).toEqual([{ line: 2, column: 'managing_jurisdiction_code', code: 'not_managed_here' }]);
    expect((await call(app, admin, 'POST', '/api/directory/cadres/import', { csv: cityManaged })).json()).toEqual({ imported: 1 });
    expect((await call(app, lead, 'GET', '/api/directory/cadres')).statusCode).toBe(403);

    const [created] = await names(`pham thanh pho ${tag}`, admin);
    expect(created).toBe(`Phạm Thành Phố ${tag}`);
    const id = (await call(app, officer, 'GET', `/api/directory/cadres?q=pham+thanh+pho+${tag}`)).json().items[0].id as string;
    const edit = await app.inject({
      method: 'PATCH', url: `/api/directory/cadres/${id}`, remoteAddress: districtOfficer.ip,
      headers: { cookie: districtOfficer.cookie, 'x-csrf-token': districtOfficer.csrf }, payload: { position: 'Giám đốc' },
    });
    expect(edit.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'PATCH', url: `/api/directory/cadres/${id}`, remoteAddress: officer.ip,
      headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf }, payload: { position: 'Giám đốc', fullName: `Phạm Thành Phổ ${tag}` },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await names(`pham thanh pho ${tag}`)).toEqual([`Phạm Thành Phổ ${tag}`]);
  });
});
