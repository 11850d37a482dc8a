// The public statistics page on a fresh portal: it shows the figures the API computes, for
// an area and for the whole portal, without JavaScript, reached from the navigation in
// both languages, with withheld counts shown by a neutral word (not "under 5": a cell
// withheld so that another cannot be worked out may be larger).
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../server/db/client.ts';
import type { PublicStatsResponse } from '../../server/schemas/stats.ts';
import { createWorkflowWorld, submitCase, type WorkflowWorld } from '../factories/case.ts';
import { launchBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');

function messages(locale: 'vi' | 'en'): Record<string, string> {
  const read = (file: string) => JSON.parse(readFileSync(new URL(`../../web/messages/${file}`, import.meta.url), 'utf8')) as Record<string, string>;
  return { ...read(`${locale}.json`), ...read(`stats.${locale}.json`) };
}
const vi = messages('vi');
const en = messages('en');

/** A count as the page writes it: grouped digits, or the neutral word for a withheld one. */
const shown = (n: number | null, locale: 'vi' | 'en'): string =>
  n === null ? (locale === 'vi' ? vi : en)['stats_suppressed']! : new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'vi-VN').format(n);

describe('public statistics page', () => {
  let browser: Browser;
  let database: Database;
  let world: WorkflowWorld;

  beforeAll(async () => {
    const url = inject('portalDatabaseUrl');
    if (!url) throw new Error('this test seeds the portal database; run it against the portal the e2e setup starts');
    database = createDatabase(url, { max: 2, applicationName: 'minhbach-e2e-stats' });
    // A city of its own with six cases received in its district: exact figures, above the
    // threshold, except by field (four and two, both withheld).
    world = await createWorkflowWorld(database.db);
    for (let i = 0; i < 6; i++) await submitCase(database.db, world, { category: i < 2 ? 'other' : 'budget_assets' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await database?.close();
  });

  /** The page and the API answer it was rendered from (one snapshot: the API keeps it a minute). */
  async function open(page: Page, path: string, apiQuery: string): Promise<PublicStatsResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status()).toBe(200);
      const api = (await (await page.request.get(`${baseUrl}/api/public/stats${apiQuery}`)).json()) as PublicStatsResponse;
      if ((await page.getByTestId('stats-figures').getAttribute('data-generated')) === api.generatedAt || attempt === 2) return api;
    }
  }
  const text = async (page: Page, id: string): Promise<string> => ((await page.getByTestId(id).textContent()) ?? '').trim();

  it('shows an area\'s figures without JavaScript, in tables with captions and headers', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const api = await open(page, `/thong-ke?khu-vuc=${encodeURIComponent(world.city)}`, `?jurisdiction=${encodeURIComponent(world.city)}`);
    expect(api.received.total).toBe(6);

    expect(await text(page, 'stats-scope')).toBe(vi['stats_scope']!.replace('{name}', `Thành phố ${world.tag}`));
    expect(await text(page, 'stats-received-total')).toBe('6');
    expect(await text(page, 'stats-received-recent')).toBe('6');
    expect(await text(page, 'stats-open-total')).toBe('6');
    expect(await text(page, 'stats-open-overdue')).toBe('0');
    expect(await text(page, 'stats-concluded-total')).toBe('0');
    const intake = page.getByTestId('stats-stages').getByRole('row', { name: vi['stats_stage_intake'] });
    expect(((await intake.locator('td').textContent()) ?? '').trim()).toBe('6');
    const district = page.locator(`[data-testid="stats-area"][data-area="${world.district}"] td`);
    expect((await district.allTextContents()).map((t) => t.trim())).toEqual(['6', '6', '0']);

    // By field: four and two, both withheld, by a word that does not claim a count under 5.
    const field = (category: string) => page.locator(`[data-testid="stats-categories"] tr[data-category="${category}"] td`);
    expect(api.received.byCategory.filter((c) => c.count === null).map((c) => c.category).sort()).toEqual(['budget_assets', 'other']);
    expect(((await field('budget_assets').textContent()) ?? '').trim()).toBe(vi['stats_suppressed']);
    expect(((await field('other').textContent()) ?? '').trim()).toBe('không công bố');
    expect(((await field('judiciary').textContent()) ?? '').trim()).toBe('0');
    expect(await text(page, 'stats-suppressed-note')).toBe(vi['stats_suppressed_note']!.replaceAll('{max}', String(api.threshold - 1)));
    // A body the cases were sent to, by its public name.
    const front = page.getByTestId('stats-bodies').getByRole('row', { name: 'Đơn vị d-mttq' });
    expect(((await front.locator('td').textContent()) ?? '').trim()).toBe('6');
    // Nothing has left triage yet: no median, and no hold.
    const triage = page.locator('[data-testid="stats-timing"] tr[data-timing="triage"] td');
    expect((await triage.allTextContents()).map((t) => t.trim())).toEqual(['0', vi['stats_no_share']]);
    const placed = page.locator('[data-testid="stats-holds"] tr[data-holds="placed"] td');
    expect((await placed.allTextContents()).map((t) => t.trim())).toEqual(['0', '0']);

    expect(await page.locator('table').count()).toBe(8);
    expect(await page.locator('table > caption').count()).toBe(8);
    expect(await page.locator('table th[scope="col"]').count()).toBeGreaterThan(8);
    expect(await text(page, 'stats-on-time')).toBe(vi['stats_on_time_unknown']);
    await context.close();
  });

  it('is linked from the navigation and shows the whole portal in English, withheld counts as "withheld"', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/en`);
    await Promise.all([page.waitForURL(`${baseUrl}/en/thong-ke`), page.getByRole('link', { name: en['stats_nav'] }).click()]);
    const api = await open(page, '/en/thong-ke', '');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en['stats_title']);
    expect(await text(page, 'stats-scope')).toBe(en['stats_scope_all']);
    expect(await text(page, 'stats-received-total')).toBe(shown(api.received.total, 'en'));
    expect(await text(page, 'stats-open-total')).toBe(shown(api.open.total, 'en'));
    expect(await text(page, 'stats-open-overdue')).toBe(shown(api.open.overdue, 'en'));
    const ours = api.areas.find((a) => a.code === world.city);
    expect(ours).toBeDefined();
    // The city's own count may be withheld with a smaller one beside it (other files' cities
    // share this portal): the page shows what the API says, withheld or not.
    const row = page.locator(`[data-testid="stats-area"][data-area="${world.city}"]`);
    expect(((await row.locator('td').first().textContent()) ?? '').trim()).toBe(shown(ours!.received, 'en'));
    // The city has a district under it: its name leads to the city's own figures.
    await Promise.all([page.waitForURL(/khu-vuc=/), row.getByRole('link').click()]);
    expect(await text(page, 'stats-scope')).toBe(en['stats_scope']!.replace('{name}', `${world.tag} City`));
    await context.close();
  });

  it('says an unknown area was not found and leads back to all areas', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/thong-ke?khu-vuc=KHONG-CO`);
    expect(await text(page, 'stats-not-found')).toBe(vi['stats_not_found']);
    expect(await page.getByRole('link', { name: vi['stats_back_to_all'] }).getAttribute('href')).toBe('/thong-ke');
    await context.close();
  });
});
