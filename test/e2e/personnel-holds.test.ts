// A demo personnel officer sees the hold on a pending action (the body that placed it and
// its review date, never the case) and, trying to approve it, the refusal that names the
// hold. The hold is seeded in the portal's database as the inspection lead's confirmation
// would leave it: a case about the cadre, a confirmed hold, the action parked in 'held'.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../server/db/client.ts';
import { addCalendarDays, localDateOf } from '../../server/domain/calendar.ts';
import { bodies, cadres, cases, holds, personnelActions } from '../../drizzle/schema/index.ts';
import { launchBrowser } from './browser.ts';
import { newPage, signInStaff } from './support-casework.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;
const vi: Record<string, string> = {};
for (const area of ['staff', 'personnel']) {
  Object.assign(vi, JSON.parse(readFileSync(new URL(`../../web/messages/${area}.vi.json`, import.meta.url), 'utf8')) as Record<string, string>);
}
const USERNAME = 'btc.nhansu';
const dmy = (iso: string): string => iso.split('-').reverse().join('/');

describe('personnel officer and a held action', () => {
  let browser: Browser;
  let database: Database;
  const seeded = { actionId: '', holdId: '', reviewOn: '', bodyName: '', publicRef: '' };

  beforeAll(async () => {
    const url = inject('portalDatabaseUrl');
    if (!url) throw new Error('this test seeds the portal database; run it against the portal the e2e setup starts');
    database = createDatabase(url, { max: 2, applicationName: 'minhbach-e2e-holds' });
    const db = database.db;
    const [btc] = await db.select().from(bodies).where(eq(bodies.code, 'ma-btc'));
    const [ubkt] = await db.select().from(bodies).where(eq(bodies.code, 'ma-ubkt'));
    // A demo cadre's action awaiting decision, recorded by the city Organization Board.
    const [action] = await db.select().from(personnelActions)
      .where(and(eq(personnelActions.proposingBodyId, btc!.id), eq(personnelActions.state, 'pending_decision'), eq(personnelActions.kind, 'rotation')));
    const [cadre] = await db.select().from(cadres).where(eq(cadres.id, action!.cadreId));
    const today = localDateOf(new Date());
    seeded.reviewOn = addCalendarDays(today, 30);
    seeded.publicRef = `MB-E2E${randomBytes(3).toString('hex').toUpperCase()}`;
    seeded.bodyName = ubkt!.nameVi;
    await db.transaction(async (tx) => {
      const [c] = await tx.insert(cases).values({
        publicRef: seeded.publicRef, state: 'accepted', classification: 'denunciation', category: 'organization_personnel', jurisdictionCode: 'MA',
        cadreId: cadre!.id, channel: 'web', isAnonymous: false, hasSignedPetition: true, lookupTokenHash: randomBytes(32), reporterPublicKey: randomBytes(32),
        receivedOn: today,
      }).returning({ id: cases.id });
      const [h] = await tx.insert(holds).values({
        actionId: action!.id, caseId: c!.id, state: 'confirmed', placingBodyId: ubkt!.id, legalBasis: 'Điều 8 Quy định 22-QĐ/TW',
        scope: 'Tạm dừng luân chuyển', decidedAt: new Date(), reviewOn: seeded.reviewOn,
      }).returning({ id: holds.id });
      await tx.update(personnelActions).set({ state: 'held', heldFromState: 'pending_decision', version: action!.version + 1 }).where(eq(personnelActions.id, action!.id));
      seeded.actionId = action!.id;
      seeded.holdId = h!.id;
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await database?.close();
  });

  it('lists open notices on the public page without JavaScript, each linking to the report form about it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/thong-bao`, { waitUntil: 'load' });
      const notices = page.getByTestId('notice');
      expect(await notices.count()).toBeGreaterThan(0);
      const first = notices.first();
      const id = await first.getAttribute('data-notice-id');
      const cadreName = ((await first.locator('h2').textContent()) ?? '').trim();
      expect(await first.textContent()).toMatch(/đến hết ngày \d{2}\/\d{2}\/\d{4}/);
      expect(await first.getByTestId('notice-report').getAttribute('href')).toBe(`/gui-phan-anh?thong-bao=${id}`);
      await first.getByTestId('notice-report').click();
      await page.waitForURL(`${origin}/gui-phan-anh?thong-bao=${id}`);
      // The form, rendered on the server, names the notice it comments on.
      expect(await page.content()).toContain(cadreName);
    } finally {
      await context.close();
    }
  });

  it('shows the hold (placing body and review date, no case) and refuses the approval naming the hold', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInStaff(page, baseUrl, USERNAME);
      // A link click, not page.goto: the keys stay in the page's memory.
      await page.getByRole('link', { name: vi['staff_home_link_personnel'] }).click();
      await page.waitForURL(`${origin}/can-bo/nhan-su`, { timeout: 15_000 });
      const row = page.locator(`[data-testid="action-row"][data-action-id="${seeded.actionId}"]`);
      await row.waitFor({ timeout: 15_000 });
      const holdText = (await row.getByTestId('hold-cell').textContent()) ?? '';
      expect(holdText).toContain(seeded.bodyName);
      expect(holdText).toContain(dmy(seeded.reviewOn));
      expect(holdText).toContain('Đang tạm dừng');
      expect(await row.textContent()).toContain('Đang tạm dừng');

      await row.getByTestId('open-action').click();
      const detail = page.getByTestId('action-detail');
      await detail.waitFor();
      expect(await detail.getByTestId('action-holds').textContent()).toContain(dmy(seeded.reviewOn));
      // Nothing of the case reaches the personnel officer's page.
      expect(await page.content()).not.toContain(seeded.publicRef);
      expect(await page.content()).not.toContain('Quy định 22');

      await detail.getByTestId('move-approve').click();
      const refusal = page.getByTestId('hold-refusal');
      await refusal.waitFor({ timeout: 15_000 });
      const text = (await refusal.textContent()) ?? '';
      expect(text).toContain(seeded.bodyName);
      expect(text).toContain(dmy(seeded.reviewOn));
      expect(text).toContain(seeded.holdId.slice(0, 8));
      expect(await detail.getByTestId('action-state').textContent()).toBe('Đang tạm dừng');
      const [after] = await database.db.select().from(personnelActions).where(eq(personnelActions.id, seeded.actionId));
      expect(after!.state).toBe('held');

      // Back to the staff home (client-side) and on to the directory: diacritics are optional.
      await page.goBack();
      await page.waitForURL(`${origin}/can-bo/trang-chu`, { timeout: 15_000 });
      await page.getByRole('link', { name: vi['staff_home_link_directory'] }).click();
      await page.getByTestId('directory-search').fill('nguyen van an');
      await page.getByRole('button', { name: vi['personnel_search'] }).click();
      await expect.poll(() => page.getByTestId('directory-table').textContent(), { timeout: 15_000 }).toContain('Nguyễn Văn An');
    } finally {
      await context.close();
    }
  });

  it('shows the inspection lead the hold among their body\'s holds, with its legal basis and review date', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInStaff(page, baseUrl, 'ubkt.lanhdao');
      await page.getByRole('link', { name: vi['staff_home_link_holds'] }).click();
      const card = page.locator(`[data-testid="hold-card"][data-hold-id="${seeded.holdId}"]`);
      await card.waitFor({ timeout: 15_000 });
      const text = (await card.textContent()) ?? '';
      expect(text).toContain(seeded.publicRef);
      expect(text).toContain('Điều 8 Quy định 22-QĐ/TW');
      expect(text).toContain(dmy(seeded.reviewOn));
      expect(await card.getByTestId('hold-renew').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
