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
const REPORTER_NAME = `Trần Văn Dân ${tag()}`;
const timeout = 180_000;
// Set to a folder to keep full-page screenshots of the staff pages for a look by eye.
const SHOTS = process.env['CASEWORK_SCREENSHOTS'];
const shoot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

/** A real JPEG from Chromium's own encoder (the form re-encodes images to drop metadata). */
async function makeJpeg(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#2a6';
    ctx.fillRect(0, 0, 64, 48);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

const stateIs = (page: Page, label: string) => async () => (await page.getByTestId('case-state').textContent())?.trim() === label;

async function submitAction(page: Page, name: string, fill: () => Promise<void> = async () => {}): Promise<void> {
  await page.getByTestId(`action-${name}`).click();
  await page.getByTestId(`form-${name}`).waitFor();
  await fill();
  await page.getByTestId('action-submit').click();
  // The form closes when the move went through; an error stays on screen and fails the step.
  const failed = page.getByTestId('case-actions').getByTestId('case-error');
  await Promise.race([page.getByTestId(`form-${name}`).waitFor({ state: 'detached', timeout: 30_000 }), failed.waitFor({ timeout: 30_000 })]);
  if (await failed.isVisible()) throw new Error(`${name} failed: ${await failed.textContent()}`);
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

  it('files a named report with a photo and a document through the public form', async () => {
    const scratch = await newPage(browser);
    const jpeg = await makeJpeg(scratch.page);
    await scratch.context.close();
    filed = await fileReport(browser, baseUrl, {
      what: NARRATIVE,
      cadreSearch: { query: 'nguyen van an', pick: /Nguyễn Văn An/ },
      files: [
        { name: 'anh-hien-truong.jpg', mimeType: 'image/jpeg', buffer: jpeg },
        { name: FILE_NAME, mimeType: 'text/plain', buffer: Buffer.from(FILE_TEXT, 'utf8') },
      ],
      identity: { fullName: REPORTER_NAME, contact: '0900 000 001', address: 'phường An Lạc' },
    });
    expect(filed.publicRef).toMatch(/^MB-/);
  }, timeout);

  it('lets the Front reviewer find it in the queue once routed, decrypt the report and the document, and ask a question', async () => {
    const page = await staffPage('mttq.tiepnhan');
    await openCaseFromQueue(page, filed.publicRef);
    await expect.poll(() => page.getByTestId('report-what').textContent(), { timeout: 30_000 }).toContain(NARRATIVE);
    // The evidence opens in the browser: name from the encrypted manifest, content decrypted.
    const doc = page.getByTestId('evidence-file').filter({ hasText: FILE_NAME });
    await doc.getByTestId('evidence-open').click();
    await expect.poll(() => doc.getByTestId('evidence-text').textContent(), { timeout: 30_000 }).toContain(FILE_TEXT);
    // The photo shows inline from a blob: URL (allowed by the page's img-src).
    const photo = page.getByTestId('evidence-file').filter({ hasText: 'anh-hien-truong.jpg' });
    await photo.getByTestId('evidence-open').click();
    const img = photo.getByTestId('evidence-image');
    await img.waitFor({ timeout: 30_000 });
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(64);
    // The identity stays hidden by default.
    expect(await page.getByTestId('identity-open').count()).toBe(0);

    await reloadCaseUntil(page, stateIs(page, 'Đang phân loại'));
    // The timeline says where routing sent the case and why.
    await expect.poll(() => page.getByTestId('timeline-routed-why').textContent()).toMatch(/Chuyển đến .+ vì /);
    await submitAction(page, 'classify', () => page.getByLabel('Thông tin có nội dung tố cáo').check());
    await expect.poll(() => page.getByTestId('case-classification').textContent()).toBe('Thông tin có nội dung tố cáo');

    await submitAction(page, 'request_info', () => page.getByTestId('question-text').fill(QUESTION));
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Chờ bổ sung');
    await page.getByTestId('case-message').filter({ hasText: QUESTION }).waitFor();
    await shoot(page, 'case-reviewer');
  }, timeout);

  it('lets the citizen read the question with the receipt and answer it', async () => {
    const { context, page } = await openInbox(browser, baseUrl, filed.receipt);
    try {
      await page.getByText(QUESTION).waitFor();
      // The question is new to the reporter, and the inbox says so at the top.
      expect(await page.getByTestId('inbox-message-new').count()).toBe(1);
      expect(await page.getByTestId('inbox-new-count').textContent()).toContain('1 tin nhắn mới');
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
    // The reviewer sees that the question reached the reporter.
    expect(await page.getByTestId('case-message').filter({ hasText: QUESTION }).getByTestId('message-read-by-reporter').textContent()).toContain('người gửi đã đọc');
    await reloadCaseUntil(page, stateIs(page, 'Đang phân loại'));
    await submitAction(page, 'refer', async () => {
      await page.getByTestId('target-body').selectOption({ label: 'Ủy ban Kiểm tra Thành ủy Minh An' });
      await page.getByTestId('is-specific').check();
    });
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Chuyển kiểm tra');
  }, timeout);

  it('lists the case in the reviewer queue with counts, a state filter and a deadline in working days', async () => {
    const page = staff['mttq.tiepnhan']!.page;
    await page.getByRole('link', { name: msg('case_back_to_queue') }).click();
    await page.getByTestId('count-all').waitFor();
    expect(await page.getByTestId('count-all').textContent()).toMatch(/Tất cả \(\d+\)/);
    await page.getByTestId('filter-state').selectOption('referred');
    const row = page.locator(`[data-testid="queue-row"][data-ref="${filed.publicRef}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('deadline-badge').textContent()).toMatch(/ngày làm việc|Hạn hôm nay|Quá hạn/);
    await expect.poll(() => page.getByTestId('queue-progress').textContent()).toMatch(/Đang hiện \d+ \/ \d+ hồ sơ/);
    await shoot(page, 'queue');
    await page.getByTestId('filter-state').selectOption('filed');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);
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
    await expect.poll(() => page.getByTestId('report-what').textContent(), { timeout: 30_000 }).toContain(NARRATIVE);
    await page.getByTestId('note-kind').selectOption('step');
    await page.getByTestId('note-text').fill(STEP);
    await page.getByTestId('note-save').click();
    await page.getByTestId('case-note').filter({ hasText: STEP }).waitFor({ timeout: 30_000 });
  }, timeout);

  it('opens the reporter identity only after another person approves the recorded reason', async () => {
    const investigator = staff['ubkt.xacminh']!.page;
    await investigator.getByTestId('identity-ask').click();
    await investigator.getByTestId('identity-reason').selectOption('contact_reporter_in_person');
    await investigator.getByTestId('identity-submit').click();
    await expect.poll(() => investigator.getByTestId('identity-request-state').textContent(), { timeout: 30_000 }).toContain('đang chờ duyệt');
    expect(await investigator.getByTestId('identity-reveal').count()).toBe(0);

    const lead = staff['ubkt.lanhdao']!.page;
    await lead.getByRole('link', { name: msg('case_back_to_queue') }).click();
    await lead.getByRole('link', { name: msg('queue_link_identity_approvals') }).click();
    const row = lead.getByTestId('approval-row').filter({ hasText: filed.publicRef });
    await row.getByTestId('approve').click();
    await lead.getByTestId('approval-done').waitFor({ timeout: 30_000 });
    await lead.getByRole('link', { name: msg('case_back_to_queue') }).click();
    await openCaseFromQueue(lead, filed.publicRef, 30_000, false);

    await reloadCaseUntil(investigator, async () => (await investigator.getByTestId('identity-reveal').count()) > 0);
    await investigator.getByTestId('identity-reveal').click();
    await expect.poll(() => investigator.getByTestId('identity-open').textContent(), { timeout: 30_000 }).toContain(REPORTER_NAME);
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
    await shoot(page, 'case-concluded');
  }, timeout);

  it('records the export in the audit log before the printable page opens', async () => {
    const page = staff['ubkt.lanhdao']!.page;
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => { (window as unknown as { printed: number }).printed += 1; };
    });
    const [exported] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/cases/${filed.publicRef}/exports`) && r.request().method() === 'POST'),
      page.getByTestId('case-print').click(),
    ]);
    expect(exported.status()).toBe(204);
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  }, timeout);

  it('shows the citizen the outcome in the inbox', async () => {
    const { context, page } = await openInbox(browser, baseUrl, filed.receipt);
    try {
      await page.getByText(/Đúng một phần/).first().waitFor();
    } finally {
      await context.close();
    }
  }, timeout);

  it('never offers denunciation for an anonymous report, reloads on a stale move, and keeps a typed reason only as an encrypted note', async () => {
    const anonymous = await fileReport(browser, baseUrl, { what: `Phản ánh không tên ${tag()}`, jurisdictionCode: 'MA' });
    const page = staff['mttq.tiepnhan']!.page;
    await page.getByTestId('filter-state').selectOption('');
    await openCaseFromQueue(page, anonymous.publicRef, 60_000, false);
    await reloadCaseUntil(page, stateIs(page, 'Đang phân loại'));

    await page.getByTestId('action-classify').click();
    const form = page.getByTestId('form-classify');
    await form.getByLabel('Phản ánh', { exact: true }).waitFor();
    expect(await form.getByLabel('Tố cáo', { exact: true }).count()).toBe(0);
    await page.getByTestId('action-classify').click();
    await submitAction(page, 'classify', () => form.getByLabel('Phản ánh', { exact: true }).check());
    expect(await page.getByTestId('case-cadre').textContent()).toBe(msg('case_cadre_none'));
    await submitAction(page, 'link_cadre', async () => {
      await page.getByTestId('cadre-query').fill('nguyen van an');
      await page.getByRole('button', { name: msg('case_cadre_search'), exact: true }).click();
      await page.getByTestId('form-link_cadre').getByLabel(/Nguyễn Văn An/).first().check();
    });
    await expect.poll(() => page.getByTestId('case-cadre').textContent()).toContain('Nguyễn Văn An');

    // Someone else moved the case meanwhile: the server refuses the old version, the page reloads and says so.
    await page.route('**/api/cases/*/transitions', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { expectedVersion: number };
      await route.continue({ postData: JSON.stringify({ ...body, expectedVersion: body.expectedVersion - 1 }) });
    }, { times: 1 });
    const REASON = `Không có người, hành vi cụ thể ${tag()}`;
    const fileIt = async () => {
      await page.getByTestId('reason-code').selectOption('no_specific_content');
      await page.getByTestId('form-file').locator('textarea').fill(REASON);
    };
    await page.getByTestId('action-file').click();
    await page.getByTestId('form-file').waitFor();
    await fileIt();
    await page.getByTestId('action-submit').click();
    await expect.poll(() => page.getByTestId('case-notice').textContent(), { timeout: 30_000 }).toBe(msg('case_stale_reloaded'));
    expect(await page.getByTestId('case-note').filter({ hasText: REASON }).count()).toBe(0);

    await submitAction(page, 'file', fileIt);
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('Lưu đơn');
    const note = page.getByTestId('case-note').filter({ hasText: REASON });
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toContain(msg('case_note_kind_reason'));
  }, timeout);

  it('breaks no Content-Security-Policy on the staff pages', () => {
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  });
});
