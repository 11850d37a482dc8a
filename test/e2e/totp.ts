// Demo TOTP codes for the browser tests and their API fixtures. A code works once per
// account, and the e2e files run one after another against one portal, signing in the same
// demo accounts: the time step last used per account is kept in a file beside the run (not in
// one file's memory), so the next file never replays a step an earlier one spent.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { demoTotpSecret } from '../../server/demo/demo-totp.ts';

const STEP_MS = 30_000;

function ledgerFor(baseUrl: string): string {
  return path.join(tmpdir(), `minhbach-e2e-totp-${createHash('sha256').update(baseUrl).digest('hex').slice(0, 16)}.json`);
}

/** A code for a time step no earlier sign-in to this portal has used for `username`. */
export async function freshCode(baseUrl: string, username: string): Promise<string> {
  const ledger = ledgerFor(baseUrl);
  const used = existsSync(ledger) ? (JSON.parse(readFileSync(ledger, 'utf8')) as Record<string, number>) : {};
  let step = Math.floor(Date.now() / STEP_MS);
  const last = used[username] ?? 0;
  if (step <= last) {
    await new Promise((r) => setTimeout(r, (last + 1) * STEP_MS - Date.now() + 200));
    step = last + 1;
  }
  writeFileSync(ledger, JSON.stringify({ ...used, [username]: step }));
  return generate({ secret: demoTotpSecret(username), epoch: step * (STEP_MS / 1000) });
}
