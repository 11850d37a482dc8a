// A demo Front reviewer signs in the way a newcomer would: passphrase, a TOTP code, keys
// unlocked in the browser, the staff home. Keys live in page memory only: a reload asks for
// the passphrase again, and nothing lands in browser storage.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSPHRASE } from '../../server/demo/demo-data.ts';
import { launchBrowser } from './browser.ts';
import { freshCode } from './totp.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;
const vi = JSON.parse(readFileSync(new URL('../../web/messages/staff.vi.json', import.meta.url), 'utf8')) as Record<string, string>;
const USERNAME = 'mttq.tiepnhan';

describe('staff sign-in in the browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('signs in a demo reviewer with the passphrase and a TOTP code, unlocks the keys and reaches the staff home', async () => {
    await page.goto(`${baseUrl}/can-bo`, { waitUntil: 'networkidle' });
    await page.getByLabel(vi['staff_field_username']!).fill(USERNAME);
    await page.getByLabel(vi['staff_field_passphrase']!, { exact: true }).fill(DEMO_PASSPHRASE);
    await page.getByRole('button', { name: vi['staff_signin_submit'] }).click();
    await page.waitForURL(`${origin}/can-bo/xac-thuc`, { timeout: 20_000 });

    // Demo mode shows the current code on the page; the test computes its own from the published secret.
    await expect.poll(() => page.getByTestId('demo-totp').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByLabel(vi['staff_field_totp']!).fill(await freshCode(baseUrl, USERNAME));
    await page.getByRole('button', { name: vi['staff_2fa_submit'] }).click();

    await page.waitForURL(`${origin}/can-bo/trang-chu`, { timeout: 30_000 });
    await expect.poll(() => page.getByTestId('staff-home-heading').textContent(), { timeout: 15_000 }).toContain('Nguyễn Thị Tiếp Nhận');
    expect(await page.getByTestId('staff-role').textContent()).toBe(vi['staff_role_front_reviewer']);
    expect(await page.getByTestId('staff-body').textContent()).toContain('Ban Tiếp nhận phản ánh');
    await expect.poll(() => page.getByTestId('keys-unlocked').isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('keeps the keys in memory only: nothing in browser storage, and a reload asks for the passphrase again', async () => {
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    expect(stored).toEqual({ local: 0, session: 0 });
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['mb_staff', true, 'Strict']]);

    await page.reload({ waitUntil: 'networkidle' });
    await page.waitForURL(`${origin}/can-bo/khoa/mo`, { timeout: 15_000 });
    await page.getByLabel(vi['staff_field_passphrase']!, { exact: true }).fill(DEMO_PASSPHRASE);
    await page.getByRole('button', { name: vi['staff_unlock_submit'] }).click();
    await page.waitForURL(`${origin}/can-bo/trang-chu`, { timeout: 20_000 });
    await expect.poll(() => page.getByTestId('keys-unlocked').isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('returns to the page asked for (a notification link) once the keys are unlocked, and forgets it', async () => {
    await page.goto(`${baseUrl}/can-bo/ho-so`, { waitUntil: 'networkidle' });
    await page.waitForURL(`${origin}/can-bo/khoa/mo`, { timeout: 15_000 });
    await page.getByLabel(vi['staff_field_passphrase']!, { exact: true }).fill(DEMO_PASSPHRASE);
    await page.getByRole('button', { name: vi['staff_unlock_submit'] }).click();
    await page.waitForURL(`${origin}/can-bo/ho-so`, { timeout: 20_000 });
    // Taken once: (SvelteKit keeps its own scroll positions in sessionStorage too.)
    expect(await page.evaluate(() => sessionStorage.getItem('minhbach.staff.return'))).toBeNull();
    await page.goto(`${baseUrl}/can-bo/trang-chu`, { waitUntil: 'networkidle' });
    await page.waitForURL(`${origin}/can-bo/khoa/mo`, { timeout: 15_000 });
    await page.getByLabel(vi['staff_field_passphrase']!, { exact: true }).fill(DEMO_PASSPHRASE);
    await page.getByRole('button', { name: vi['staff_unlock_submit'] }).click();
    await page.waitForURL(`${origin}/can-bo/trang-chu`, { timeout: 20_000 });
  });

  it('signs out: the session ends on the server and the sign-in page returns', async () => {
    await page.getByTestId('staff-home-heading').waitFor();
    await page.getByRole('button', { name: vi['staff_sign_out'], exact: true }).first().click();
    await page.waitForURL(`${origin}/can-bo`, { timeout: 15_000 });
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
    expect(session).toEqual({ signedIn: false });
    await page.goto(`${baseUrl}/can-bo/trang-chu`, { waitUntil: 'networkidle' });
    await page.waitForURL(`${origin}/can-bo`, { timeout: 15_000 });
  });

  it('breaks none of the Content-Security-Policy (libsodium’s WebAssembly included)', () => {
    expect(consoleErrors.filter((text) => /Content Security Policy|WebAssembly/i.test(text))).toEqual([]);
  });
});
