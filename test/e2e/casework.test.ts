// The whole casework path in Chromium against a real portal (API + workers): a citizen
// files; the Front reviewer opens the report with the keys in the browser, asks a question;
// the citizen answers with the receipt; the reviewer refers the case to the inspection
// committee; its lead takes it up and assigns an investigator, who records a step; the lead
// signs a conclusion and the citizen reads the outcome in the inbox.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { fileReport, msg, newPage, openCaseFromQueue, openInbox, reloadCaseUntil, signInStaff, type FiledReport } from './support-casework.ts';

const baseUrl = inject('baseUrl');
const tag = () => randomBytes(5).toString('hex');
const NARRATIVE = `Ông An ký giao đất ven sông cho người nhà. ${tag()}`;
const FILE_NAME = `bien-ban-${tag()}.txt`;
const FILE_TEXT = `Biên bản họp ngày 3/3/2026 ${tag()}`;
const QUESTION = `Bạn có số quyết định giao đất không? ${tag()}`;
const ANSWER = `Quyết định số 123/QĐ-UBND ${tag()}`;
const STEP = `Đã làm việc với phòng Tài nguyên ${tag()}`;
const CONCLUSION = `Nội dung phản ánh đúng một phần ${tag()}`;
const timeout = 180_000;

const stateIs = (page: Page, label: string) => async () => (await page.getByTestId('case-state').textContent())?.trim() === label;

async function submitAction(page: Page, name: string, fill: () => Promise<void> = async () => {}): Promise<void> {
  await page.getByTestId(`action-${name}`).click();
  await page.getByTestId(`form-${name}`).waitFor();
  await fill();
  await page.getByTestId('action-submit').click();
  await page.getByTestId('case-notice').waitFor({ timeout: 30_000 });
}

describe.sequential('casework from filing to conclusion', () => {
  let browser: Browser;
  let filed: FiledReport;
  const staff: Record<string, { context: BrowserContext; page: Page }> = {};
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const s of Object.values(staff)) await s.context.close();
    await browser?.close();
  });

  async function staffPage(username: string): Promise<Page> {
    const opened = await newPage(browser);
    opened.page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${username}: ${message.text()}`);
    });
    staff[username] = opened;
    await signInStaff(opened.page, baseUrl, username);
    return opened.page;
  }

  it('files a named report with a document through the public form', async () => {
    filed = await fileReport(browser, baseUrl, {
      what: NARRATIVE,
      cadreSearch: { query: 'nguyen van an', pick: /Nguyễn Văn An/ },
      files: [{ name: FILE_NAME, mimeType: 'text/plain', buffer: Buffer.from(FILE_TEXT, 'utf8') }],
      identity: { fullName: `Trần Văn Dân ${tag()}`, contact: '0900 000 001', address: 'phường An Lạc' },
    });
    expect(filed.publicRef).toMatch(/^MB-/);
  }, timeout);

  it('lets the Front reviewer find it in the queue once routed, decrypt the report and the document, and ask a question', async () => {
    const page = await staffPage('mttq.tiepnhan');
    await openCaseFromQueue(page, filed.publicRef);
    await expect.poll(() => page.getByTestId('report-what').textContent(), { timeout: 30_000 }).toContain(NARRATIVE);
    // The evidence opens in the browser: name from the encrypted manifest, content decrypted.
    await page.getByTestId('evidence-name').filter({ hasText: FILE_NAME }).waitFor();
    await page.getByTestId('evidence-open').first().click();
    await expect.poll(() => page.getByTestId('evidence-text').textContent(), { timeout: 30_000 }).toContain(FILE_TEXT);
    // The identity stays hidden by default.
    expect(await page.getByTestId('identity-open').count()).toBe(0);

    await reloadCaseUntil(page, stateIs(page, 'Đang phân loại'));
    await submitAction(page, 'classify', () => page.getByLabel('Thông tin có nội dung tố cáo').check());
    await expect.poll(() => page.getByTestId('case-classification').textContent()).toBe('Thông tin có nội dung tố cáo');

    await submitAction(page, 'request_info', () => page.getByTestId('question-text').fill(QUESTION));
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Chờ bổ sung');
    await page.getByTestId('case-message').filter({ hasText: QUESTION }).waitFor();
  }, timeout);

  it('lets the citizen read the question with the receipt and answer it', async () => {
    const { context, page } = await openInbox(browser, baseUrl, filed.receipt);
    try {
      await page.getByText(QUESTION).waitFor();
      await page.locator('#reply-text').fill(ANSWER);
      await page.getByTestId('send-reply').click();
      await page.getByText(msg('inbox_reply_sent')).waitFor({ timeout: 60_000 });
    } finally {
      await context.close();
    }
  }, timeout);

  it('lets the reviewer read the answer and refer the case to the city inspection committee', async () => {
    const page = staff['mttq.tiepnhan']!.page;
    await reloadCaseUntil(page, async () => (await page.getByTestId('case-message').filter({ hasText: ANSWER }).count()) > 0);
    await reloadCaseUntil(page, stateIs(page, 'Đang phân loại'));
    await submitAction(page, 'refer', async () => {
      await page.getByTestId('target-body').selectOption({ label: 'Ủy ban Kiểm tra Thành phố Minh An' });
      await page.getByTestId('is-specific').check();
    });
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Chuyển kiểm tra');
  }, timeout);

  it('lets the inspection lead take it up and assign the investigator', async () => {
    const page = await staffPage('ubkt.lanhdao');
    await openCaseFromQueue(page, filed.publicRef);
    await expect.poll(() => page.getByTestId('report-what').textContent(), { timeout: 30_000 }).toContain(NARRATIVE);
    await submitAction(page, 'examine', () => page.getByLabel('Vũ Thị Xác Minh').check());
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Đang xác minh');
    await expect.poll(() => page.getByTestId('case-assignees').textContent()).toContain('Vũ Thị Xác Minh');
  }, timeout);

  it('lets the investigator record a verification step, encrypted under the case key', async () => {
    const page = await staffPage('ubkt.xacminh');
    await openCaseFromQueue(page, filed.publicRef);
    await page.getByTestId('note-kind').selectOption('step');
    await page.getByTestId('note-text').fill(STEP);
    await page.getByTestId('note-save').click();
    await page.getByTestId('case-note').filter({ hasText: STEP }).waitFor({ timeout: 30_000 });
  }, timeout);

  it('lets the lead sign the conclusion in the browser and tell the reporter', async () => {
    const page = staff['ubkt.lanhdao']!.page;
    await reloadCaseUntil(page, async () => (await page.getByTestId('case-note').filter({ hasText: STEP }).count()) > 0);
    await submitAction(page, 'conclude', async () => {
      await page.getByLabel('Đúng một phần').check();
      await page.getByTestId('conclusion-text').fill(CONCLUSION);
    });
    await expect.poll(() => page.getByTestId('case-state').textContent()).toMatch(/Đã kết luận|Đã đóng/);
    const conclusion = page.getByTestId('case-conclusion');
    await expect.poll(() => conclusion.textContent()).toContain(CONCLUSION);
    expect(await conclusion.textContent()).toContain('chữ ký hợp lệ');
  }, timeout);

  it('shows the citizen the outcome in the inbox', async () => {
    const { context, page } = await openInbox(browser, baseUrl, filed.receipt);
    try {
      await page.getByText(/Đúng một phần/).first().waitFor();
    } finally {
      await context.close();
    }
  }, timeout);

  it('breaks no Content-Security-Policy on the staff pages', () => {
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  });
});
