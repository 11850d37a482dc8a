import { beforeAll, describe, expect, it } from 'vitest';
import {
  FORMAT,
  TEXT_PARTS,
  decryptJson,
  decryptText,
  encryptJson,
  encryptText,
  generateCaseKey,
  initCrypto,
  toHex,
  type EnvelopeContext,
  type TextPart,
} from '../../../server/crypto/index.ts';
import { expectCryptoError, flipBit, withFirstByte } from './helpers.ts';

beforeAll(async () => {
  await initCrypto();
});

const report: EnvelopeContext = { caseRef: 'MB-2025-000042', part: 'report' };
const narrative = 'Chủ tịch xã ký giao 2 ha đất rừng cho doanh nghiệp của em rể, không đấu giá.';

describe('text envelope', () => {
  it('round-trips text, including an empty string', () => {
    const key = generateCaseKey();
    expect(decryptText(key, report, encryptText(key, report, narrative))).toBe(narrative);
    expect(decryptText(key, report, encryptText(key, report, ''))).toBe('');
  });

  it('round-trips a JSON value for every part', () => {
    const key = generateCaseKey();
    const value = { answers: { category: 'land_resources', when: '2025-03-12' }, amounts: [1, 2.5], named: null };
    for (const part of TEXT_PARTS) {
      const context = { caseRef: 'MB-1', part };
      expect(decryptJson(key, context, encryptJson(key, context, value))).toEqual(value);
    }
  });

  it('lays out format byte, 24-byte nonce, then ciphertext of the padded text', () => {
    const key = generateCaseKey();
    const envelope = encryptText(key, report, 'ngắn');
    expect(envelope[0]).toBe(FORMAT.TEXT_V1);
    expect(envelope).toHaveLength(1 + 24 + 256 + 16);
  });

  it('pads so that texts of similar length give envelopes of the same size', () => {
    const key = generateCaseKey();
    const short = encryptText(key, report, 'A');
    const longer = encryptText(key, report, 'Nguyễn Văn A, 0912 345 678');
    expect(short.length).toBe(longer.length);
    expect(encryptText(key, report, 'x'.repeat(300)).length).toBe(1 + 24 + 512 + 16);
  });

  it('uses a fresh random nonce unless one is given (tests only)', () => {
    const key = generateCaseKey();
    expect(toHex(encryptText(key, report, narrative))).not.toBe(toHex(encryptText(key, report, narrative)));
    const nonce = new Uint8Array(24).fill(9);
    expect(toHex(encryptText(key, report, narrative, { nonce }))).toBe(toHex(encryptText(key, report, narrative, { nonce })));
    expectCryptoError(() => encryptText(key, report, narrative, { nonce: new Uint8Array(12) }), 'BAD_INPUT');
  });

  it('fails with any single byte changed anywhere', () => {
    const key = generateCaseKey();
    const envelope = encryptText(key, report, narrative);
    expectCryptoError(() => decryptText(key, report, flipBit(envelope, 0)), 'UNSUPPORTED_VERSION');
    for (let i = 1; i < envelope.length; i++) {
      expectCryptoError(() => decryptText(key, report, flipBit(envelope, i, 1 << (i % 8))), 'DECRYPT_FAILED');
    }
  });

  it('fails with the wrong key', () => {
    const envelope = encryptText(generateCaseKey(), report, narrative);
    expectCryptoError(() => decryptText(generateCaseKey(), report, envelope), 'DECRYPT_FAILED');
  });

  it('fails under another case reference', () => {
    const key = generateCaseKey();
    const envelope = encryptText(key, report, narrative);
    expectCryptoError(() => decryptText(key, { ...report, caseRef: 'MB-2025-000043' }, envelope), 'DECRYPT_FAILED');
    expectCryptoError(() => decryptText(key, { ...report, caseRef: 'mb-2025-000042' }, envelope), 'DECRYPT_FAILED');
  });

  it('refuses a report envelope moved into the identity slot (or any other part)', () => {
    const key = generateCaseKey();
    const envelope = encryptText(key, report, narrative);
    for (const part of TEXT_PARTS.filter((p) => p !== 'report')) {
      expectCryptoError(() => decryptText(key, { ...report, part }, envelope), 'DECRYPT_FAILED');
    }
  });

  it('refuses unknown format versions with UNSUPPORTED_VERSION', () => {
    const key = generateCaseKey();
    const envelope = encryptText(key, report, narrative);
    for (const version of [0x00, 0x22, 0x2f, FORMAT.SEALED_KEY_V1, 0xff]) {
      expectCryptoError(() => decryptText(key, report, withFirstByte(envelope, version)), 'UNSUPPORTED_VERSION');
    }
  });

  it('refuses truncated envelopes', () => {
    const key = generateCaseKey();
    const envelope = encryptText(key, report, narrative);
    expectCryptoError(() => decryptText(key, report, new Uint8Array(0)), 'TRUNCATED');
    expectCryptoError(() => decryptText(key, report, envelope.subarray(0, 40)), 'TRUNCATED');
    expectCryptoError(() => decryptText(key, report, envelope.subarray(0, envelope.length - 1)), 'DECRYPT_FAILED');
  });

  it('refuses bad contexts and keys before touching the data', () => {
    const key = generateCaseKey();
    expectCryptoError(() => encryptText(key, { caseRef: '', part: 'report' }, narrative), 'BAD_INPUT');
    expectCryptoError(() => encryptText(key, { caseRef: 'MB-1', part: 'secret' as TextPart }, narrative), 'BAD_INPUT');
    expectCryptoError(() => encryptText(new Uint8Array(16), report, narrative), 'BAD_INPUT');
    expectCryptoError(() => encryptJson(key, report, undefined), 'BAD_INPUT');
    expectCryptoError(() => encryptJson(key, report, { n: 1n }), 'BAD_INPUT');
  });

  it('reports a text envelope read as JSON as BAD_INPUT, not as data', () => {
    const key = generateCaseKey();
    expectCryptoError(() => decryptJson(key, report, encryptText(key, report, 'not json {')), 'BAD_INPUT');
  });
});
