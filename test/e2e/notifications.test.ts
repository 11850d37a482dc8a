// The staff bell: a citizen files a report, routing tells the city Front desk, and its
// reviewer sees the unread count in the staff bar, opens the panel, follows the notification
// to the case (which marks it read) and marks the rest read. Thirty older notifications are
// seeded in the portal's database so the panel must page with "load more".
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../server/db/client.ts';
import { notificationLabel } from '../../server/services/notification-email.service.ts';
import { notifications, staff } from '../../drizzle/schema/index.ts';
import { launchBrowser } from './browser.ts';
import { fileReport, msg, newPage, signInStaff, type FiledReport } from './support-casework.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;
const notify = JSON.parse(readFileSync(new URL('../../web/messages/notify.vi.json', import.meta.url), 'utf8')) as Record<string, string>;
const USERNAME = 'mttq.tiepnhan';
const OLDER = 30;
const timeout = 180_000;

describe.sequential('staff notifications in the browser', () => {
  let browser: Browser;
  let database: Database;
  let context: BrowserContext;
  let page: Page;
  let staffId = '';
  let filed: FiledReport;
  let unreadBefore = 0;

  const unreadInDb = async (): Promise<number> => {
    const [row] = await database.db.select({ n: count() }).from(notifications).where(and(eq(notifications.staffId, staffId), isNull(notifications.readAt)));
    return row!.n;
  };
  const bell = (): Locator => page.getByTestId('notify-button');
  const panel = (): Locator => page.getByTestId('notify-panel');
  const items = (): Locator => panel().getByTestId('notify-item');
  /** Opens the panel and waits for its answer: the list of an earlier opening shows meanwhile. */
  const openPanel = async (): Promise<void> => {
    await bell().click();
    await expect.poll(() => panel().getAttribute('aria-busy'), { timeout: 15_000 }).toBe('false');
  };
  const unreadLabel = (n: number): string => (n === 0 ? notify['notify_button']! : notify['notify_button_unread']!.replace('{count}', String(n)));

  beforeAll(async () => {
    const url = inject('portalDatabaseUrl');
    if (!url) throw new Error('this test seeds the portal database; run it against the portal the e2e setup starts');
    database = createDatabase(url, { max: 2, applicationName: 'minhbach-e2e-notifications' });
    const [member] = await database.db.select({ id: staff.id, bodyId: staff.bodyId }).from(staff).where(eq(staff.username, USERNAME));
    staffId = member!.id;
    // Already read and older than anything routing writes: they only fill the later pages.
    const tag = randomBytes(4).toString('hex');
    await database.db.insert(notifications).values(Array.from({ length: OLDER }, (_, i) => ({
      staffId, bodyId: member!.bodyId, kind: 'deadline.reminder', caseRef: null, dedupeKey: `e2e/${tag}/${i}`,
      createdAt: new Date(Date.now() - (i + 2) * 86_400_000), readAt: new Date(),
    })));
    browser = await launchBrowser();
  }, timeout);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await database?.close();
  });

  it('tells the Front reviewer of a routed case', async () => {
    filed = await fileReport(browser, baseUrl, { what: `Thu tiền sai quy định ở bộ phận một cửa ${randomBytes(4).toString('hex')}` });
    // Routing runs in the workers; the notification is written in the routing transaction.
    await expect.poll(async () => (await database.db.select({ id: notifications.id }).from(notifications)
      .where(and(eq(notifications.staffId, staffId), eq(notifications.caseRef, filed.publicRef)))).length, { timeout: 60_000, interval: 500 }).toBe(1);
    unreadBefore = await unreadInDb();
    expect(unreadBefore).toBeGreaterThan(0);
  }, timeout);

  it('shows the unread count on the bell, in its accessible name too', async () => {
    ({ context, page } = await newPage(browser));
    await signInStaff(page, baseUrl, USERNAME);
    await expect.poll(() => page.getByTestId('notify-count').textContent(), { timeout: 15_000 }).toBe(String(unreadBefore));
    expect(await bell().getAttribute('aria-label')).toBe(unreadLabel(unreadBefore));
    expect(await bell().getAttribute('aria-expanded')).toBe('false');
    expect(await panel().isVisible()).toBe(false);
  }, timeout);

  it('says what went wrong and retries when the list cannot be loaded', async () => {
    const isList = (url: URL): boolean => url.pathname === '/api/notifications';
    await page.route(isList, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL' } }) }));
    await bell().click();
    await panel().getByTestId('notify-error').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('notify-error').textContent()).toContain(msg('staff_error_generic'));
    await page.unroute(isList);
    await panel().getByTestId('notify-retry').click();
    await expect.poll(() => panel().getAttribute('aria-busy'), { timeout: 15_000 }).toBe('false');
    expect(await items().count()).toBeGreaterThan(0);
    expect(await panel().getByTestId('notify-error').count()).toBe(0);
    await page.keyboard.press('Escape');
  }, timeout);

  it('keeps the open panel on screen, on a wide screen and on a phone', async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      await openPanel();
      const box = (await panel().boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      if (process.env['NOTIFY_SCREENSHOTS']) await page.screenshot({ path: `${process.env['NOTIFY_SCREENSHOTS']}/bell-${viewport.width}.png` });
      await page.keyboard.press('Escape');
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, timeout);

  it('lists the newest first, a page at a time, the new case unread with its label and reference', async () => {
    await openPanel();
    expect(await bell().getAttribute('aria-expanded')).toBe('true');
    const first = items().first();
    expect(await first.getAttribute('data-ref')).toBe(filed.publicRef);
    expect(await first.getAttribute('data-unread')).toBe('true');
    const text = (await first.textContent()) ?? '';
    expect(text).toContain(notificationLabel('case.routed').vi);
    expect(text).toContain(notify['notify_case']!.replace('{ref}', filed.publicRef));

    expect(await items().count()).toBe(25);
    const [total] = await database.db.select({ n: count() }).from(notifications).where(eq(notifications.staffId, staffId));
    expect(total!.n).toBeGreaterThan(25);
    await panel().getByTestId('notify-more').click();
    await expect.poll(() => items().count(), { timeout: 15_000 }).toBe(Math.min(total!.n, 50));
    const times = await panel().locator('time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
  }, timeout);

  it('closes on Escape with the focus back on the bell, and opens again from the keyboard', async () => {
    await page.keyboard.press('Escape');
    expect(await bell().getAttribute('aria-expanded')).toBe('false');
    expect(await panel().isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notify-button');
    await page.keyboard.press('Enter');
    expect(await bell().getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => panel().getAttribute('aria-busy'), { timeout: 15_000 }).toBe('false');
    expect(await items().count()).toBeGreaterThan(0);
  }, timeout);

  it('opens the case from its notification, marking it read, and the count falls', async () => {
    await panel().locator(`[data-testid="notify-item"][data-ref="${filed.publicRef}"]`).first().getByRole('link').click();
    // A client-side move: the keys stay in memory and the case opens without the passphrase.
    await page.waitForURL(`${origin}/can-bo/ho-so/${filed.publicRef}`, { timeout: 15_000 });
    await page.getByTestId('case-heading').waitFor({ timeout: 30_000 });
    expect(await panel().isVisible()).toBe(false);
    const [row] = await database.db.select({ readAt: notifications.readAt }).from(notifications)
      .where(and(eq(notifications.staffId, staffId), eq(notifications.caseRef, filed.publicRef)));
    expect(row!.readAt).not.toBeNull();
    expect(await unreadInDb()).toBe(unreadBefore - 1);
    await expect.poll(() => bell().getAttribute('aria-label')).toBe(unreadLabel(unreadBefore - 1));
  }, timeout);

  it('picks up a new notification when the window regains focus, and marks all read', async () => {
    const [member] = await database.db.select({ bodyId: staff.bodyId }).from(staff).where(eq(staff.id, staffId));
    await database.db.insert(notifications).values({
      staffId, bodyId: member!.bodyId, kind: 'deadline.overdue', caseRef: filed.publicRef, dedupeKey: `e2e/overdue/${filed.publicRef}`,
    });
    const expected = await unreadInDb();
    // Focus events closer together than a few seconds share one request: keep focusing until it shows.
    await expect.poll(async () => {
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      return bell().getAttribute('aria-label');
    }, { timeout: 20_000, interval: 1_000 }).toBe(unreadLabel(expected));

    await openPanel();
    expect(await items().first().getAttribute('data-kind')).toBe('deadline.overdue');
    expect(await items().first().getAttribute('data-unread')).toBe('true');
    await panel().getByTestId('notify-mark-all').click();
    await expect.poll(() => bell().getAttribute('aria-label')).toBe(unreadLabel(0));
    expect(await page.getByTestId('notify-count').count()).toBe(0);
    expect(await panel().locator('[data-testid="notify-item"][data-unread="true"]').count()).toBe(0);
    expect(await unreadInDb()).toBe(0);
  }, timeout);
});
