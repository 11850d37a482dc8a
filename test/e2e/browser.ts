import { chromium, type Browser } from 'playwright-core';

// The system Chromium (apt), not a downloaded build: nothing is fetched at test time.
// The flags keep the browser from calling home, so the tests see only the portal's traffic.
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
