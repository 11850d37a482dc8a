// DEMO ONLY. Each demo account's TOTP secret is derived from its username and a published
// label, so tests and the demo helper page can compute the current code. A real account's
// secret is random (server/services/totp.service.ts) and stored only encrypted.
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** The demo account's TOTP secret (base32, 160 bits): anyone can compute it, by design. */
export function demoTotpSecret(username: string): string {
  const digest = createHash('sha256').update(`minhbach/demo-totp/v1/${username.toLowerCase()}`).digest();
  return base32(new Uint8Array(digest.subarray(0, 20)));
}
