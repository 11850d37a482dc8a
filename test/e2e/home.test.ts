// Smoke test of the public home page against a running portal: the citizen's first
// screen, the language switch, and the promises the page makes about itself (nothing
// loaded from other origins, a strict CSP, no cookie).
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

function readMessages(locale: 'vi' | 'en'): Record<string, string> {
  const file = new URL(`../../web/messages/${locale}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}
const vi = readMessages('vi');
const en = readMessages('en');

// CSP source expressions that name no other origin.
// 'wasm-unsafe-eval' names no origin: it lets libsodium's WebAssembly compile (report pages).
const OWN_SOURCES = new Set(["'self'", "'none'", "'unsafe-hashes'", "'wasm-unsafe-eval'", 'data:', 'blob:']);

function foreignSources(policy: string): string[] {
  return policy
    .split(';')
    .flatMap((directive) => directive.trim().split(/\s+/).slice(1))
    .filter((source) => source !== '' && !OWN_SOURCES.has(source) && !/^'sha(256|384|512)-/.test(source));
}

describe('public home page', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let requested: string[];
  let consoleErrors: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    requested = [];
    consoleErrors = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  it('greets the citizen in Vietnamese with the two calls to action', async () => {
    const response = await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(vi['home_heading']);

    const report = page.getByTestId('cta-report');
    const follow = page.getByTestId('cta-follow');
    expect(await report.textContent()).toBe(vi['home_cta_report']);
    expect(await report.getAttribute('href')).toBe('/gui-phan-anh');
    expect(await follow.textContent()).toBe(vi['home_cta_follow']);
    expect(await follow.getAttribute('href')).toBe('/theo-doi');
    expect(await report.isVisible()).toBe(true);
    expect(await follow.isVisible()).toBe(true);
  });

  it('switches to English under /en', async () => {
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    await Promise.all([
      page.waitForURL(`${origin}/en`),
      page.getByRole('link', { name: 'English' }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe('/en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en['home_heading']);
    expect(await page.getByTestId('cta-report').getAttribute('href')).toBe('/en/gui-phan-anh');
    expect(await page.getByTestId('cta-follow').getAttribute('href')).toBe('/en/theo-doi');
  });

  it('keeps the current page when switching language', async () => {
    await page.goto(`${baseUrl}/en/theo-doi`, { waitUntil: 'networkidle' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en['follow_title']);
    await Promise.all([
      page.waitForURL(`${origin}/theo-doi`),
      page.getByRole('link', { name: 'Tiếng Việt' }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(vi['follow_title']);
  });

  it('loads nothing from another origin and breaks none of its own CSP', async () => {
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    // A client-side navigation too, so the router's own work is covered.
    await page.getByRole('link', { name: vi['nav_notices'] }).click();
    await page.waitForURL(`${origin}/thong-bao`);
    await page.waitForLoadState('networkidle');

    const foreign = requested.filter((url) => {
      const parsed = new URL(url);
      return parsed.protocol !== 'data:' && parsed.protocol !== 'blob:' && parsed.origin !== origin;
    });
    expect(foreign).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  });

  it('sends a strict Content-Security-Policy that names no other origin', async () => {
    const response = await page.goto(`${baseUrl}/`);
    const policies = (await response!.headerValues('content-security-policy')).flatMap((value) =>
      value.split('\n'),
    );
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      expect(foreignSources(policy)).toEqual([]);
      expect(policy).toMatch(/default-src 'self'/);
      expect(policy).toMatch(/frame-ancestors 'none'/);
      expect(policy).toMatch(/object-src 'none'/);
      expect(policy).toMatch(/base-uri 'none'/);
      expect(policy).not.toMatch(/'unsafe-eval'/);
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    }
  });

  it('gives the anonymous citizen no cookie', async () => {
    const response = await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    expect(await response!.headerValue('set-cookie')).toBeNull();
    await page.goto(`${baseUrl}/en`, { waitUntil: 'networkidle' });
    expect(await context.cookies()).toEqual([]);
  });
});
