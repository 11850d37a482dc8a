import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RECEIPT_ENTROPY_BITS,
  deriveLookupToken,
  deriveReceiptKeys,
  deriveReporterKeyPair,
  formatReceipt,
  generateCaseKey,
  generateReceipt,
  hashLookupToken,
  initCrypto,
  normalizeReceipt,
  openSealedKey,
  sealKey,
  toHex,
  utf8Encode,
} from '../../../server/crypto/index.ts';
import { CROCKFORD_ALPHABET, checkSymbol } from '../../../server/crypto/codes.ts';
import { expectCryptoError } from './helpers.ts';

beforeAll(async () => {
  await initCrypto();
});

const RECEIPT_SHAPE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

describe('receipt generation', () => {
  it('carries at least 80 bits of entropy in 5 groups of 4 unambiguous characters', () => {
    expect(RECEIPT_ENTROPY_BITS).toBeGreaterThanOrEqual(80);
    for (let i = 0; i < 50; i++) expect(generateReceipt()).toMatch(RECEIPT_SHAPE);
  });

  it('draws every symbol of the alphabet and never repeats a receipt', () => {
    const receipts = Array.from({ length: 500 }, generateReceipt);
    expect(new Set(receipts).size).toBe(receipts.length);
    const seen = new Set(receipts.join('').replaceAll('-', ''));
    expect([...seen].sort().join('')).toBe(CROCKFORD_ALPHABET);
  });
});

describe('receipt parsing', () => {
  let receipt = '';
  beforeAll(() => {
    receipt = generateReceipt();
  });

  it('accepts lowercase, spaces, missing or odd dashes and full-width characters', () => {
    const canonical = receipt.replaceAll('-', '');
    expect(normalizeReceipt(receipt)).toBe(canonical);
    expect(normalizeReceipt(receipt.toLowerCase())).toBe(canonical);
    expect(normalizeReceipt(` ${canonical.replace(/(.{4})/g, '$1 ')} `)).toBe(canonical);
    expect(normalizeReceipt(receipt.replaceAll('-', '–'))).toBe(canonical);
    const fullWidth = [...canonical].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
    expect(normalizeReceipt(fullWidth)).toBe(canonical);
    expect(formatReceipt(canonical.toLowerCase())).toBe(receipt);
  });

  it('reads O as 0 and I or L as 1', () => {
    const data = '0123456789ABCDEF010';
    const canonical = data + checkSymbol(data);
    const confused = canonical.replaceAll('0', 'O').replaceAll('1', 'l');
    expect(confused).toMatch(/^[^01]+$/);
    expect(normalizeReceipt(confused)).toBe(canonical);
    expect(normalizeReceipt(canonical.replaceAll('1', 'I'))).toBe(canonical);
    expect(deriveLookupToken(confused)).toEqual(deriveLookupToken(canonical));
  });

  it('refuses a receipt of the wrong length or with characters outside the alphabet', () => {
    const canonical = receipt.replaceAll('-', '');
    expectCryptoError(() => normalizeReceipt(canonical.slice(1)), 'BAD_INPUT');
    expectCryptoError(() => normalizeReceipt(`${canonical}0`), 'BAD_INPUT');
    expectCryptoError(() => normalizeReceipt(`U${canonical.slice(1)}`), 'BAD_INPUT');
    expectCryptoError(() => normalizeReceipt(`*${canonical.slice(1)}`), 'BAD_INPUT');
    expectCryptoError(() => normalizeReceipt(''), 'BAD_INPUT');
    expectCryptoError(() => normalizeReceipt('0'.repeat(500)), 'BAD_INPUT');
  });

  it('catches every single mistyped character and every swap of two neighbours', () => {
    for (let n = 0; n < 5; n++) {
      const canonical = generateReceipt().replaceAll('-', '');
      for (let i = 0; i < canonical.length; i++) {
        for (const symbol of CROCKFORD_ALPHABET) {
          if (symbol === canonical[i]) continue;
          const typo = canonical.slice(0, i) + symbol + canonical.slice(i + 1);
          expectCryptoError(() => normalizeReceipt(typo), 'BAD_INPUT');
        }
        const a = canonical[i];
        const b = canonical[i + 1];
        if (b !== undefined && a !== b) {
          const swapped = canonical.slice(0, i) + b + a + canonical.slice(i + 2);
          expectCryptoError(() => normalizeReceipt(swapped), 'BAD_INPUT');
        }
      }
    }
  });
});

describe('receipt derivation', () => {
  it('is deterministic: the same receipt, however typed, gives the same token and key pair', () => {
    const receipt = generateReceipt();
    const a = deriveReceiptKeys(receipt);
    const b = deriveReceiptKeys(receipt.toLowerCase().replaceAll('-', ' '));
    expect(toHex(a.lookupToken)).toBe(toHex(b.lookupToken));
    expect(a.boxKeyPair).toEqual(b.boxKeyPair);
    expect(a.lookupToken).toHaveLength(32);
  });

  it('follows the documented keyed BLAKE2b derivation with separate context labels', () => {
    const receipt = generateReceipt();
    const secret = utf8Encode(receipt.replaceAll('-', ''));
    const token = sodium.crypto_generichash(32, utf8Encode('minhbach/receipt/lookup-token/v1'), secret);
    const seed = sodium.crypto_generichash(32, utf8Encode('minhbach/receipt/reporter-box-seed/v1'), secret);
    expect(toHex(deriveLookupToken(receipt))).toBe(toHex(token));
    expect(deriveReporterKeyPair(receipt).publicKey).toEqual(sodium.crypto_box_seed_keypair(seed).publicKey);
    // Domain separation: the token the server sees says nothing about the key seed.
    expect(toHex(token)).not.toBe(toHex(seed));
  });

  it('gives unrelated outputs for the token, the key pair and the stored hash', () => {
    const { lookupToken, boxKeyPair } = deriveReceiptKeys(generateReceipt());
    const values = [lookupToken, boxKeyPair.privateKey, boxKeyPair.publicKey, hashLookupToken(lookupToken)].map(toHex);
    expect(new Set(values).size).toBe(4);
  });

  it('gives different outputs for different receipts', () => {
    const a = deriveReceiptKeys(generateReceipt());
    const b = deriveReceiptKeys(generateReceipt());
    expect(toHex(a.lookupToken)).not.toBe(toHex(b.lookupToken));
    expect(toHex(a.boxKeyPair.publicKey)).not.toBe(toHex(b.boxKeyPair.publicKey));
  });

  it('lets only the receipt holder open a case key sealed to the reporter', () => {
    const receipt = generateReceipt();
    const key = generateCaseKey();
    const sealed = sealKey(key, deriveReporterKeyPair(receipt).publicKey);
    const again = deriveReporterKeyPair(receipt.toLowerCase());
    expect(openSealedKey(sealed, again.publicKey, again.privateKey)).toEqual(key);
    const stranger = deriveReporterKeyPair(generateReceipt());
    expectCryptoError(() => openSealedKey(sealed, stranger.publicKey, stranger.privateKey), 'DECRYPT_FAILED');
  });

  it('hashes a lookup token deterministically for storage and refuses other lengths', () => {
    const token = deriveLookupToken(generateReceipt());
    expect(toHex(hashLookupToken(token))).toBe(toHex(hashLookupToken(token.slice())));
    expect(hashLookupToken(token)).toHaveLength(32);
    expectCryptoError(() => hashLookupToken(token.subarray(0, 31)), 'BAD_INPUT');
  });

  it('refuses to derive from a mistyped receipt', () => {
    expectCryptoError(() => deriveReceiptKeys('AAAA-AAAA-AAAA-AAAA-AAAB'), 'BAD_INPUT');
  });
});
