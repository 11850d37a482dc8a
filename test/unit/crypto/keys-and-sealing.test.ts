import { beforeAll, describe, expect, it } from 'vitest';
import {
  FORMAT,
  SEALED_KEY_BYTES,
  boxKeyPairFromPrivateKey,
  fingerprint,
  generateBoxKeyPair,
  generateCaseKey,
  generateSigningKeyPair,
  initCrypto,
  openSealedKey,
  publicKeyFingerprint,
  sealKey,
  sealKeyToRecipients,
  signingKeyPairFromSeed,
  toHex,
} from '../../../server/crypto/index.ts';
import { expectCryptoError, flipBit, withFirstByte } from './helpers.ts';

beforeAll(async () => {
  await initCrypto();
});

describe('key pairs', () => {
  it('generates X25519 and Ed25519 key pairs of the libsodium sizes', () => {
    const box = generateBoxKeyPair();
    const sign = generateSigningKeyPair();
    expect([box.publicKey.length, box.privateKey.length]).toEqual([32, 32]);
    expect([sign.publicKey.length, sign.privateKey.length]).toEqual([32, 64]);
    expect(toHex(box.publicKey)).not.toBe(toHex(generateBoxKeyPair().publicKey));
  });

  it('rebuilds the same pairs from a private key or a seed', () => {
    const box = generateBoxKeyPair();
    expect(boxKeyPairFromPrivateKey(box.privateKey).publicKey).toEqual(box.publicKey);
    const seed = new Uint8Array(32).fill(7);
    expect(signingKeyPairFromSeed(seed)).toEqual(signingKeyPairFromSeed(seed.slice()));
    expectCryptoError(() => boxKeyPairFromPrivateKey(new Uint8Array(31)), 'BAD_INPUT');
  });
});

describe('fingerprint', () => {
  it('is unkeyed BLAKE2b-160 in groups of four hex digits (checkable with b2sum -l 160)', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    // Independent value: Python hashlib.blake2b(bytes(range(32)), digest_size=20).
    expect(fingerprint(key)).toBe('b1b1 33b9 9f51 6e6c 82ce da89 2ef5 af50 fa4b 4e71');
  });

  it('changes when one bit of the key changes', () => {
    const key = generateSigningKeyPair().publicKey;
    expect(fingerprint(flipBit(key, 31, 0x80))).not.toBe(fingerprint(key));
    expectCryptoError(() => fingerprint(new Uint8Array(16)), 'BAD_INPUT');
  });

  it('has an async form for callers that have not initialised', async () => {
    const key = generateSigningKeyPair().publicKey;
    await expect(publicKeyFingerprint(key)).resolves.toBe(fingerprint(key));
  });
});

describe('sealed keys', () => {
  it('opens a sealed case key with the recipient key pair', () => {
    const recipient = generateBoxKeyPair();
    const key = generateCaseKey();
    const sealed = sealKey(key, recipient.publicKey);
    expect(sealed).toHaveLength(SEALED_KEY_BYTES);
    expect(sealed[0]).toBe(FORMAT.SEALED_KEY_V1);
    expect(openSealedKey(sealed, recipient.publicKey, recipient.privateKey)).toEqual(key);
  });

  it('draws a fresh case key each time', () => {
    expect(toHex(generateCaseKey())).not.toBe(toHex(generateCaseKey()));
  });

  it('refuses to open with another key pair', () => {
    const sealed = sealKey(generateCaseKey(), generateBoxKeyPair().publicKey);
    const other = generateBoxKeyPair();
    expectCryptoError(() => openSealedKey(sealed, other.publicKey, other.privateKey), 'DECRYPT_FAILED');
  });

  it('refuses a sealed key with any single byte changed', () => {
    const recipient = generateBoxKeyPair();
    const sealed = sealKey(generateCaseKey(), recipient.publicKey);
    expectCryptoError(() => openSealedKey(flipBit(sealed, 0), recipient.publicKey, recipient.privateKey), 'UNSUPPORTED_VERSION');
    for (let i = 1; i < sealed.length; i++) {
      expectCryptoError(() => openSealedKey(flipBit(sealed, i), recipient.publicKey, recipient.privateKey), 'DECRYPT_FAILED');
    }
  });

  it('refuses unknown versions, short and over-long blobs', () => {
    const recipient = generateBoxKeyPair();
    const sealed = sealKey(generateCaseKey(), recipient.publicKey);
    expectCryptoError(() => openSealedKey(withFirstByte(sealed, 0x12), recipient.publicKey, recipient.privateKey), 'UNSUPPORTED_VERSION');
    expectCryptoError(() => openSealedKey(withFirstByte(sealed, FORMAT.TEXT_V1), recipient.publicKey, recipient.privateKey), 'UNSUPPORTED_VERSION');
    expectCryptoError(() => openSealedKey(sealed.subarray(0, 40), recipient.publicKey, recipient.privateKey), 'TRUNCATED');
    expectCryptoError(() => openSealedKey(new Uint8Array(0), recipient.publicKey, recipient.privateKey), 'TRUNCATED');
    const longer = new Uint8Array(sealed.length + 1);
    longer.set(sealed);
    expectCryptoError(() => openSealedKey(longer, recipient.publicKey, recipient.privateKey), 'BAD_INPUT');
  });

  it('only seals 32-byte keys to 32-byte public keys', () => {
    const recipient = generateBoxKeyPair();
    expectCryptoError(() => sealKey(new Uint8Array(16), recipient.publicKey), 'BAD_INPUT');
    expectCryptoError(() => sealKey(generateCaseKey(), new Uint8Array(33)), 'BAD_INPUT');
  });

  it('seals one key to each recipient of a list, each opening only their own copy', () => {
    const bodies = [generateBoxKeyPair(), generateBoxKeyPair(), generateBoxKeyPair()];
    const key = generateCaseKey();
    const sealed = sealKeyToRecipients(
      key,
      bodies.map((b, i) => ({ id: `body-${i}`, publicKey: b.publicKey })),
    );
    expect(sealed.map((s) => s.id)).toEqual(['body-0', 'body-1', 'body-2']);
    sealed.forEach(({ sealed: blob }, i) => {
      const body = bodies[i]!;
      expect(openSealedKey(blob, body.publicKey, body.privateKey)).toEqual(key);
      const other = bodies[(i + 1) % bodies.length]!;
      expectCryptoError(() => openSealedKey(blob, other.publicKey, other.privateKey), 'DECRYPT_FAILED');
    });
  });

  it('refuses a recipient list that names a recipient twice', () => {
    const { publicKey } = generateBoxKeyPair();
    expectCryptoError(
      () => sealKeyToRecipients(generateCaseKey(), [{ id: 'a', publicKey }, { id: 'a', publicKey }]),
      'BAD_INPUT',
    );
  });
});
