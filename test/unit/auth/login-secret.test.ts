import { beforeAll, describe, expect, it } from 'vitest';
import { deriveLoginSecret, initCrypto } from '../../../server/crypto/index.ts';
import { deriveLoginSecretOffThread, parseLoginSecret } from '../../../server/services/auth-passphrase.ts';
import { demoTotpSecret } from '../../../server/demo/demo-totp.ts';
import { AppError } from '../../../server/domain/errors.ts';

beforeAll(async () => {
  await initCrypto();
});

describe('the server’s own login-secret derivation (seed, temporary passphrases)', () => {
  it('derives exactly what the browser derives', async () => {
    for (const [username, passphrase] of [['quantri', 'minhbach-demo-2026'], ['Người.Dùng', 'Hà Nội mùa thu']] as const) {
      expect(await deriveLoginSecretOffThread(username, passphrase)).toEqual(deriveLoginSecret(username, passphrase));
    }
  });
});

describe('login secrets on the wire', () => {
  it('accepts exactly 32 bytes of base64url and nothing else', () => {
    expect(parseLoginSecret('A'.repeat(43))).toHaveLength(32);
    for (const bad of ['A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}+`]) {
      expect(() => parseLoginSecret(bad)).toThrow(AppError);
    }
  });
});

describe('demo TOTP secrets', () => {
  it('are 160-bit base32 and differ between accounts', () => {
    expect(demoTotpSecret('mttq.tiepnhan')).toMatch(/^[A-Z2-7]{32}$/);
    expect(demoTotpSecret('mttq.tiepnhan')).not.toBe(demoTotpSecret('quantri'));
    expect(demoTotpSecret('MTTQ.TiepNhan')).toBe(demoTotpSecret('mttq.tiepnhan'));
  });
});
