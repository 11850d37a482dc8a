// The citizen's whole path through the real portal in Chromium: file a report with a
// photo (carrying GPS EXIF) and a document, keep the receipt, read a staff reply in the
// inbox, answer and add a file; the same without JavaScript; then search everything the
// portal stored (database dump, Redis, blob store, logs) for what must never be there.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { GPS, GPS_SECONDS_BYTES, hasExif, withGpsExif } from './fixtures/jpeg-gps.ts';
import { dumpDatabase, dumpRedis, findSecrets, readTree, withoutOwnAddress, type Haystack } from './fixtures/scan.ts';
import { openCaseAsStaff, readAttachments, readReport, sendStaffReply } from './fixtures/staff-side.ts';
import { readMessages } from './fixtures/messages.ts';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('portalDatabaseUrl');
const redisPrefix = inject('portalRedisPrefix');
const dataDir = inject('portalDataDir');
const logFile = inject('portalLogFile');
const vi = readMessages('vi');

const tag = () => randomBytes(6).toString('hex');
// Each canary is unique to this run, so a hit can only come from this test's input.
const CANARY = {
  narrativeJs: `CANARY-NARRATIVE-JS-${tag()}`,
  narrativeNojs: `CANARY-NARRATIVE-NOJS-${tag()}`,
  fileContentJs: `CANARY-FILEBODY-JS-${tag()}`,
  fileContentNojs: `CANARY-FILEBODY-NOJS-${tag()}`,
  fileContentLater: `CANARY-FILEBODY-LATER-${tag()}`,
  fileNameJs: `canary-filename-js-${tag()}.txt`,
  fileNameNojs: `canary-filename-nojs-${tag()}.txt`,
  fileNameLater: `canary-filename-later-${tag()}.txt`,
  reporterJs: `Trần Canary ${tag()}`,
  reporterNojs: `Lê Canary ${tag()}`,
  replyText: `CANARY-REPORTER-REPLY-${tag()}`,
};
const STAFF_REPLY = `Cảm ơn bạn. Bạn có thể cho biết thêm số quyết định giao đất không? ${tag()}`;

const timeout = 120_000;
const DRAFT_KEY = 'minhbach.report-draft.v1';

/** Everything in the page's web storage (SvelteKit keeps scroll positions there too). */
const storedText = (page: Page): Promise<string> =>
  page.evaluate(() => [sessionStorage, localStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`)).join('\n'));

async function makeJpeg(page: Page): Promise<Buffer> {
  // A real JPEG from Chromium's own encoder; the GPS EXIF segment is added by hand.
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 96;
    canvas.height = 64;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#2a6';
    ctx.fillRect(0, 0, 96, 64);
    ctx.fillStyle = '#c33';
    ctx.fillRect(20, 10, 40, 30);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  return withGpsExif(Buffer.from(dataUrl.split(',')[1]!, 'base64'));
}

const textFile = (name: string, content: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${content}\n`, 'utf8') });

describe.sequential('reporting through the public form', () => {
  let browser: Browser;
  let userAgent = '';
  let jpeg: Buffer;
  const receipts: { js?: string; nojs?: string } = {};
  const refs: { js?: string; nojs?: string } = {};

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    userAgent = await page.evaluate(() => navigator.userAgent);
    jpeg = await makeJpeg(page);
    expect(hasExif(jpeg)).toBe(true);
    await context.close();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; requests: Request[] }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
    const page = await context.newPage();
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    // Surfaced in the test output: a script error is the likeliest cause of a stuck step.
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    return { context, page, requests };
  }

  it('files a report with a photo and a document, seals it in the browser and shows the receipt once', async () => {
    const { context, page, requests } = await newPage();
    await page.goto(`${baseUrl}/gui-phan-anh`, { waitUntil: 'networkidle' });
    // Hydrated: the step-by-step flow replaces the one-page form.
    await page.getByText(vi['rf_step_of']!.replace('{current}', '1').replace('{total}', '6')).waitFor();

    await page.getByText('Đất đai, tài nguyên').click();
    await page.getByRole('button', { name: vi['rf_next'] }).click();

    await page.getByLabel(vi['rf_cadre_search_label']!).fill('nguyen van an');
    await page.getByRole('button', { name: /Nguyễn Văn An/ }).click();
    await expect.poll(() => page.locator('#jurisdiction').inputValue()).toBe('MA');
    await page.getByRole('button', { name: vi['rf_next'] }).click();

    await page.locator('#what').fill(`Ông An ký giao đất trái phép. ${CANARY.narrativeJs}`);
    await page.locator('#when').fill('tháng 3 năm 2026');
    await page.locator('#where').fill('Khu đất ven sông, phường An Lạc');
    await page.getByRole('button', { name: vi['rf_next'] }).click();

    // A reload keeps the draft (this tab's sessionStorage), at the same step.
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByText(vi['rf_draft_restored']!).waitFor();
    await page.getByText(vi['rf_step_of']!.replace('{current}', '4').replace('{total}', '6')).waitFor();
    await page.getByRole('button', { name: vi['rf_back'] }).click();
    expect(await page.locator('#what').inputValue()).toContain(CANARY.narrativeJs);
    await page.getByRole('button', { name: vi['rf_next'] }).click();

    await page.locator('#evidence-input').setInputFiles([
      { name: 'anh-hien-truong.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      textFile(CANARY.fileNameJs, CANARY.fileContentJs),
    ]);
    await page.getByText(vi['rf_evidence_cleaned']!).waitFor();
    await page.getByText(vi['rf_evidence_document_warning']!).waitFor();
    await page.getByRole('button', { name: vi['rf_next'] }).click();

    await page.getByText(vi['rf_identity_named']!, { exact: true }).click();
    await page.locator('#identity-name').fill(CANARY.reporterJs);
    await page.locator('#identity-contact').fill('0900 000 000');
    await page.locator('#identity-address').fill('Số 1, phường An Lạc');
    await page.getByRole('button', { name: vi['rf_next'] }).click();

    // The review says what the server sees, and names the cadre picked.
    await page.getByText(vi['rf_review_server_sees']!).waitFor();
    await page.getByText(vi['rf_review_recipients_note']!).waitFor();
    // The draft lives in this tab's sessionStorage only (never files), until the report is sent.
    expect(await page.evaluate((key) => sessionStorage.getItem(key), DRAFT_KEY)).toContain(CANARY.narrativeJs);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // The first upload request is cut off: the uploader must ask the server how much
    // arrived and carry on from there.
    let dropped = 0;
    await page.route('**/api/public/uploads/*', async (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped += 1;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.getByTestId('send-report').click();
    const receiptBox = page.getByTestId('receipt');
    await receiptBox.waitFor({ timeout: 90_000 });
    const receipt = (await receiptBox.textContent())!.replace(/\s+/g, '');
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    receipts.js = receipt;
    expect(dropped).toBe(1);
    expect(requests.some((r) => r.method() === 'GET' && /\/api\/public\/uploads\/[^/]+$/.test(r.url()))).toBe(true);
    const refText = await page.getByText(/MB-[0-9A-Z]{4}-[0-9A-Z]{4}/).first().textContent();
    refs.js = refText!.match(/MB-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];

    // Identified reporter: the petition to print and sign, without the receipt on it.
    await page.getByText(vi['don_law']!).waitFor();
    const petition = page.locator('article.petition');
    expect(await petition.textContent()).toContain(CANARY.reporterJs);
    expect(await petition.textContent()).toContain('ĐƠN TỐ CÁO');
    expect(await petition.textContent()).not.toContain(receipt);

    // Sent: the draft is gone, the receipt is nowhere in the URL or storage.
    expect(await page.evaluate((key) => sessionStorage.getItem(key), DRAFT_KEY)).toBeNull();
    expect(await storedText(page)).not.toContain(receipt);
    expect(await storedText(page)).not.toContain(CANARY.narrativeJs);
    expect(page.url()).not.toContain(receipt);
    // Nothing the reporter wrote travelled in the clear.
    const bodies = requests.map((r) => r.postData() ?? '').join('\n');
    for (const secret of [CANARY.narrativeJs, CANARY.reporterJs, CANARY.fileNameJs, CANARY.fileContentJs, receipt]) {
      expect(bodies).not.toContain(secret);
    }
    await context.close();
  }, timeout);

  it('lets the routed staff open it: the photo lost its EXIF and GPS, the document is intact', async () => {
    const staff = await openCaseAsStaff(databaseUrl, refs.js!);
    try {
      const report = await readReport(staff);
      expect(report['what']).toContain(CANARY.narrativeJs);
      expect(report['category']).toBe('land_resources');
      const files = await readAttachments(staff, path.join(dataDir, 'blobs'));
      expect(files.map((f) => f.name).sort()).toEqual(['anh-hien-truong.jpg', CANARY.fileNameJs].sort());
      const photo = files.find((f) => f.name === 'anh-hien-truong.jpg')!;
      expect(photo.type).toBe('image/jpeg');
      expect(photo.content.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(hasExif(photo.content)).toBe(false);
      expect(photo.content.includes(GPS_SECONDS_BYTES)).toBe(false);
      const doc = files.find((f) => f.name === CANARY.fileNameJs)!;
      expect(doc.content.toString('utf8')).toBe(`${CANARY.fileContentJs}\n`);
      await sendStaffReply(baseUrl, staff, STAFF_REPLY, true);
    } finally {
      await staff.close();
    }
  }, timeout);

  it('reopens the inbox with the receipt, reads the staff reply, answers and adds a file', async () => {
    const { context, page, requests } = await newPage();
    await page.goto(`${baseUrl}/theo-doi`, { waitUntil: 'networkidle' });
    const input = page.getByLabel(vi['inbox_receipt_label']!);

    // A typo is caught by the check symbol on the device: no lookup request is made.
    const receipt = receipts.js!;
    const typo = receipt.slice(0, 3) + (receipt[3] === 'A' ? 'B' : 'A') + receipt.slice(4);
    await input.fill(typo);
    await page.getByTestId('open-inbox').click();
    await page.getByText(vi['inbox_error_typo']!).waitFor();
    expect(requests.filter((r) => r.url().includes('/api/public/lookup'))).toEqual([]);

    // Tolerant input: lower case, spaces instead of dashes.
    await input.fill(receipt.toLowerCase().replace(/-/g, ' '));
    await page.getByTestId('open-inbox').click();
    await page.getByText(STAFF_REPLY).waitFor();
    await page.getByText(vi['inbox_question']!, { exact: true }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/theo-doi`);

    await page.locator('#reply-text').fill(CANARY.replyText);
    await page.locator('#reply-files-input').setInputFiles([textFile(CANARY.fileNameLater, CANARY.fileContentLater)]);
    await page.getByTestId('send-reply').click();
    await page.getByText(vi['inbox_reply_sent']!).waitFor({ timeout: 60_000 });
    await page.getByText(CANARY.replyText).waitFor();
    await page.locator('.files').getByText(CANARY.fileNameLater).waitFor();
    expect(await storedText(page)).not.toContain(receipt);
    await context.close();

    const staff = await openCaseAsStaff(databaseUrl, refs.js!);
    try {
      const files = await readAttachments(staff, path.join(dataDir, 'blobs'));
      expect(files.find((f) => f.name === CANARY.fileNameLater)?.content.toString('utf8')).toBe(`${CANARY.fileContentLater}\n`);
    } finally {
      await staff.close();
    }
  }, timeout);

  it('gives a wrong receipt and an unknown one the same answer', async () => {
    const { context, page } = await newPage();
    await page.goto(`${baseUrl}/theo-doi`, { waitUntil: 'networkidle' });
    const { generateReceipt, initCrypto } = await import('../../server/crypto/index.ts');
    await initCrypto();
    await page.getByLabel(vi['inbox_receipt_label']!).fill(generateReceipt());
    await page.getByTestId('open-inbox').click();
    await page.getByText(vi['inbox_error_not_found']!).waitFor();
    await context.close();
  }, timeout);

  it('refuses to seal to a body key the root key did not sign, and sends nothing', async () => {
    const { context, page, requests } = await newPage();
    await page.route('**/api/public/routing-preview', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { recipients: { signature: string }[] };
      const first = body.recipients[0]!;
      // One flipped character: a forged or swapped key directory entry.
      first.signature = (first.signature[0] === 'A' ? 'B' : 'A') + first.signature.slice(1);
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${baseUrl}/gui-phan-anh`, { waitUntil: 'networkidle' });
    await page.getByText(vi['rf_step_of']!.replace('{current}', '1').replace('{total}', '6')).waitFor();
    await page.getByText('Lĩnh vực khác', { exact: true }).click();
    await page.getByRole('button', { name: vi['rf_next'] }).click();
    await page.locator('#jurisdiction').selectOption('MA');
    await page.getByRole('button', { name: vi['rf_next'] }).click();
    await page.locator('#what').fill('Thử khóa giả mạo.');
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: vi['rf_next'] }).click();
    await page.getByTestId('send-report').click();
    await page.getByText(/CHƯA được gửi/).waitFor();
    expect(requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/api/public/cases'))).toEqual([]);
    expect(requests.filter((r) => r.url().includes('/api/public/pow'))).toEqual([]);
    await context.close();
  }, timeout);

  it('files a report without JavaScript on one page and shows the receipt only once', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${baseUrl}/gui-phan-anh`);
    await page.locator('input[name="category"][value="budget_assets"]').check();
    await page.locator('select[name="jurisdictionCode"]').selectOption('MA-BM');
    await page.locator('textarea[name="cadreDescription"]').fill('Trưởng phòng Tài chính quận');
    await page.locator('textarea[name="what"]').fill(`Chi sai ngân sách. ${CANARY.narrativeNojs}`);
    await page.locator('input[name="when"]').fill('năm 2025');
    await page.locator('input[name="identityFullName"]').fill(CANARY.reporterNojs);
    await page.locator('input[name="files"]').setInputFiles([
      { name: 'anh.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      textFile(CANARY.fileNameNojs, CANARY.fileContentNojs),
    ]);
    await Promise.all([
      page.waitForURL(/\/gui-phan-anh\/bien-nhan\?t=/, { timeout: 60_000 }),
      page.getByTestId('send-report').click({ timeout: 60_000 }),
    ]);
    const receipt = (await page.getByTestId('receipt').textContent())!.replace(/\s+/g, '');
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    receipts.nojs = receipt;
    refs.nojs = (await page.getByText(/MB-[0-9A-Z]{4}-[0-9A-Z]{4}/).first().textContent())!.match(/MB-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];

    // Shown once: the same ticket gives nothing the second time.
    await page.reload();
    await page.getByText(vi['rcpt_nojs_gone_title']!).waitFor();
    expect(await page.content()).not.toContain(receipt);
    await context.close();

    // The server-sealed report opens in the inbox like any other.
    const js = await newPage();
    await js.page.goto(`${baseUrl}/theo-doi`, { waitUntil: 'networkidle' });
    await js.page.getByLabel(vi['inbox_receipt_label']!).fill(receipt);
    await js.page.getByTestId('open-inbox').click();
    await js.page.getByTestId('case-state').waitFor();
    await js.page.locator('.files').getByText(CANARY.fileNameNojs).waitFor();

    // Withdrawing asks first, then the case says so.
    await js.page.getByRole('button', { name: vi['inbox_withdraw'], exact: true }).click();
    await js.page.getByTestId('confirm-withdraw').click();
    await expect.poll(() => js.page.getByTestId('case-state').textContent()).toBe('Bạn đã rút nội dung này');
    await js.context.close();
  }, timeout);

  it.skipIf(!databaseUrl)('leaves no plaintext, location, address or user agent in the database, Redis, blobs or logs', async () => {
    // Let the workers pick up the outbox, so queued jobs are in Redis too.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const haystacks: Haystack[] = [
      await dumpDatabase(databaseUrl),
      await dumpRedis(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379', redisPrefix),
      ...(await readTree(dataDir)),
    ];
    if (!logFile.startsWith(dataDir)) haystacks.push(...(await readTree(path.dirname(logFile))).filter((h) => logFile.endsWith(h.source)));
    expect(haystacks.some((h) => h.source === 'pg_dump' && h.bytes.includes(Buffer.from(refs.js!)))).toBe(true);

    const findings = findSecrets(withoutOwnAddress(haystacks, new URL(baseUrl).host), {
      ...CANARY,
      gpsSecondsBytes: GPS_SECONDS_BYTES,
      gpsLatitude: GPS.decimal[0]!,
      gpsLongitude: GPS.decimal[1]!,
      receiptJs: receipts.js!,
      receiptNojs: receipts.nojs!,
      clientAddress: '127.0.0.1',
      userAgent,
      userAgentProduct: userAgent.match(/(Headless)?Chrome\/[\d.]+/)![0],
    });
    expect(findings).toEqual([]);
  }, timeout);
});
