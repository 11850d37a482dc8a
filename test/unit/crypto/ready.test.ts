import { describe, expect, it } from 'vitest';
import { generateCaseKey, initCrypto, isCryptoReady, toHex } from '../../../server/crypto/index.ts';
import { expectCryptoError } from './helpers.ts';

// This file must not call initCrypto before the first test: it checks the guard.
describe('initCrypto', () => {
  it('refuses every operation with NOT_READY until libsodium has loaded', async () => {
    expect(isCryptoReady()).toBe(false);
    expectCryptoError(() => generateCaseKey(), 'NOT_READY');
    expectCryptoError(() => toHex(new Uint8Array(1)), 'NOT_READY');
    await initCrypto();
    expect(isCryptoReady()).toBe(true);
    expect(generateCaseKey()).toHaveLength(32);
  });

  it('can be awaited any number of times', async () => {
    await Promise.all([initCrypto(), initCrypto()]);
    expect(toHex(Uint8Array.of(0xab))).toBe('ab');
  });
});
