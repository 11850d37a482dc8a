// Shared browser steps for tests that walk a case end to end: a citizen filing through the
// real form, reading the inbox with the receipt, and a demo staff member signing in with
// the passphrase and the demo TOTP secret. Keys live in the page's memory, so after sign-in
// every move inside the staff area must be a client-side link click, never page.goto.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSPHRASE } from '../../server/demo/demo-data.ts';
import { freshCode } from './totp.ts';

/** Every Vietnamese message of the areas the casework path crosses. */
export function readViMessages(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const area of ['', 'report.', 'staff.', 'queue.', 'case.']) {
    const file = new URL(`../../web/messages/${area}vi.json`, import.meta.url);
    Object.assign(out, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  }
  return out;
}

const vi = readViMessages();
export const msg = (key: string, params: Record<string, string> = {}): string => {
  const text = vi[key];
  if (text === undefined) throw new Error(`no message ${key}`);
  return Object.entries(params).reduce((t, [k, v]) => t.replace(`{${k}}`, v), text);
};

export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // Surfaced in the test output: a script error is the likeliest cause of a stuck step.
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return { context, page };
}

export type FiledReport = { receipt: string; publicRef: string };

export type FilingInput = {
  what: string;
  when?: string;
  where?: string;
  /** Searched in the cadre directory and picked (its jurisdiction follows). */
  cadreSearch?: { query: string; pick: RegExp };
  jurisdictionCode?: string;
  files?: { name: string; mimeType: string; buffer: Buffer }[];
  identity?: { fullName: string; contact: string; address: string };
};

/** Files through the real step-by-step form (sealed in the browser) and returns the receipt. */
export async function fileReport(browser: Browser, baseUrl: string, input: FilingInput): Promise<FiledReport> {
  const { context, page } = await newPage(browser, { width: 390, height: 844 });
  try {
    await page.goto(`${baseUrl}/gui-phan-anh`, { waitUntil: 'networkidle' });
    await page.getByText(msg('rf_step_of', { current: '1', total: '6' })).waitFor();
    await page.getByText('Đất đai, tài nguyên').click();
    await page.getByRole('button', { name: msg('rf_next') }).click();

    if (input.cadreSearch) {
      await page.getByLabel(msg('rf_cadre_search_label')).fill(input.cadreSearch.query);
      await page.getByRole('button', { name: input.cadreSearch.pick }).click();
    } else {
      await page.locator('#jurisdiction').selectOption(input.jurisdictionCode ?? 'MA');
    }
    await page.getByRole('button', { name: msg('rf_next') }).click();

    await page.locator('#what').fill(input.what);
    await page.locator('#when').fill(input.when ?? 'tháng 3 năm 2026');
    await page.locator('#where').fill(input.where ?? 'phường An Lạc');
    await page.getByRole('button', { name: msg('rf_next') }).click();

    if (input.files?.length) await page.locator('#evidence-input').setInputFiles(input.files);
    await page.getByRole('button', { name: msg('rf_next') }).click();

    if (input.identity) {
      await page.getByText(msg('rf_identity_named'), { exact: true }).click();
      await page.locator('#identity-name').fill(input.identity.fullName);
      await page.locator('#identity-contact').fill(input.identity.contact);
      await page.locator('#identity-address').fill(input.identity.address);
    }
    await page.getByRole('button', { name: msg('rf_next') }).click();

    await page.getByTestId('send-report').click();
    const receiptBox = page.getByTestId('receipt');
    await receiptBox.waitFor({ timeout: 90_000 });
    const receipt = (await receiptBox.textContent())!.replace(/\s+/g, '');
    const refText = await page.getByText(/MB-[0-9A-Z]{4}-[0-9A-Z]{4}/).first().textContent();
    return { receipt, publicRef: refText!.match(/MB-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0] };
  } finally {
    await context.close();
  }
}

/** Opens the reporter's inbox with the receipt in a fresh context (no cookie, nothing stored). */
export async function openInbox(browser: Browser, baseUrl: string, receipt: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, { width: 390, height: 844 });
  await opened.page.goto(`${baseUrl}/theo-doi`, { waitUntil: 'networkidle' });
  await opened.page.getByLabel(msg('inbox_receipt_label')).fill(receipt);
  await opened.page.getByTestId('open-inbox').click();
  await opened.page.getByTestId('case-state').waitFor();
  return opened;
}

/** Passphrase, TOTP, keys unlocked in the page: lands on the staff home. */
export async function signInStaff(page: Page, baseUrl: string, username: string): Promise<void> {
  const origin = new URL(baseUrl).origin;
  await page.goto(`${baseUrl}/can-bo`, { waitUntil: 'networkidle' });
  await page.getByLabel(msg('staff_field_username')).fill(username);
  await page.getByLabel(msg('staff_field_passphrase'), { exact: true }).fill(DEMO_PASSPHRASE);
  await page.getByRole('button', { name: msg('staff_signin_submit') }).click();
  await page.waitForURL(`${origin}/can-bo/xac-thuc`, { timeout: 20_000 });
  await page.getByLabel(msg('staff_field_totp')).fill(await freshCode(baseUrl, username));
  await page.getByRole('button', { name: msg('staff_2fa_submit') }).click();
  await page.waitForURL(`${origin}/can-bo/trang-chu`, { timeout: 30_000 });
  await page.getByTestId('keys-unlocked').waitFor({ timeout: 15_000 });
}

/**
 * From the staff home to one case, by clicking links (the keys stay in memory). Routing runs
 * in the workers: the queue is searched again until the case shows up.
 */
export async function openCaseFromQueue(page: Page, publicRef: string, timeoutMs = 60_000, fromHome = true): Promise<void> {
  if (fromHome) await page.getByRole('link', { name: msg('staff_home_link_queue') }).click();
  await page.getByTestId('filter-ref').waitFor();
  await page.getByTestId('filter-ref').fill(publicRef);
  const row = page.locator(`[data-testid="queue-row"][data-ref="${publicRef}"]`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.getByTestId('queue-search').click();
    // Waits for this search's answer: either the row or the empty notice.
    await page.locator(`[data-testid="queue-row"][data-ref="${publicRef}"], [data-testid="queue-empty"]`).first().waitFor({ timeout: 15_000 });
    if (await row.isVisible()) break;
    if (Date.now() > deadline) throw new Error(`${publicRef} never reached the queue`);
    await page.waitForTimeout(500);
  }
  await row.getByRole('link', { name: publicRef }).click();
  await page.getByTestId('case-heading').waitFor();
}

/** Reloads the open case (client-side) until `check` holds: the workers move cases asynchronously. */
export async function reloadCaseUntil(page: Page, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('the case did not reach the expected state');
    await page.getByTestId('case-reload').click();
    await page.getByTestId('case-notice').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
  }
}
