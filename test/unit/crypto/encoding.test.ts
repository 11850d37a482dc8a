import { beforeAll, describe, expect, it } from 'vitest';
import {
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  fromHex,
  initCrypto,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from '../../../server/crypto/index.ts';
import { encodeFields } from '../../../server/crypto/encoding.ts';
import { expectCryptoError } from './helpers.ts';

beforeAll(async () => {
  await initCrypto();
});

describe('encoding helpers', () => {
  it('encodes base64url without padding and with the URL-safe alphabet', () => {
    const bytes = Uint8Array.of(0xfb, 0xff, 0xbf, 0x00);
    expect(toBase64Url(bytes)).toBe('-_-_AA');
    expect(fromBase64Url('-_-_AA')).toEqual(bytes);
  });

  it('refuses standard base64 and padding when decoding base64url', () => {
    expectCryptoError(() => fromBase64Url('+/+/AA'), 'BAD_INPUT');
    expectCryptoError(() => fromBase64Url('-_-_AA=='), 'BAD_INPUT');
  });

  it('round-trips hex and refuses non-hex', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xfe))).toBe('0001fe');
    expect(fromHex('0001fe')).toEqual(Uint8Array.of(0, 1, 0xfe));
    expectCryptoError(() => fromHex('zz'), 'BAD_INPUT');
    expectCryptoError(() => fromHex('abc'), 'BAD_INPUT');
  });

  it('round-trips Vietnamese text through UTF-8 and refuses invalid UTF-8', () => {
    const text = 'Ủy ban kiểm tra — tạm dừng';
    expect(utf8Decode(utf8Encode(text))).toBe(text);
    expect(utf8Encode('đ')).toEqual(Uint8Array.of(0xc4, 0x91));
    expectCryptoError(() => utf8Decode(Uint8Array.of(0xff, 0xfe)), 'BAD_INPUT');
  });

  it('compares bytes: equal, different, and different lengths', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
  });

  it('concatenates bytes in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('length-prefixes fields so that shifting a boundary changes the encoding', () => {
    const ab_c = encodeFields([utf8Encode('ab'), utf8Encode('c')]);
    const a_bc = encodeFields([utf8Encode('a'), utf8Encode('bc')]);
    expect(toHex(ab_c)).toBe('00000002616200000001' + '63');
    expect(constantTimeEqual(ab_c, a_bc)).toBe(false);
  });
});
