import { beforeAll, describe, expect, it } from 'vitest';
import {
  SIGNATURE_BYTES,
  encodeDirectoryEntry,
  generateBoxKeyPair,
  generateSigningKeyPair,
  hashConclusionText,
  initCrypto,
  signConclusion,
  signDetached,
  signDirectoryEntry,
  toHex,
  utf8Encode,
  verifyConclusion,
  verifyDetached,
  verifyDirectoryEntry,
  type ConclusionStatement,
  type DirectoryEntry,
  type SigningKeyPair,
} from '../../../server/crypto/index.ts';
import { expectCryptoError, flipBit } from './helpers.ts';

let root: SigningKeyPair;
let entry: DirectoryEntry;

beforeAll(async () => {
  await initCrypto();
  root = generateSigningKeyPair();
  entry = { bodyId: 'ubkt-quan-1', keyVersion: 2, publicKey: generateBoxKeyPair().publicKey, createdAt: '2025-07-15' };
});

describe('detached signatures', () => {
  it('verifies a signature over the same message and key only', () => {
    const message = utf8Encode('thông báo');
    const signature = signDetached(root.privateKey, message);
    expect(signature).toHaveLength(SIGNATURE_BYTES);
    expect(() => verifyDetached(root.publicKey, message, signature)).not.toThrow();
    expectCryptoError(() => verifyDetached(root.publicKey, utf8Encode('thông báo.'), signature), 'BAD_SIGNATURE');
    expectCryptoError(() => verifyDetached(generateSigningKeyPair().publicKey, message, signature), 'BAD_SIGNATURE');
    expectCryptoError(() => verifyDetached(root.publicKey, message, flipBit(signature, 10)), 'BAD_SIGNATURE');
    expectCryptoError(() => verifyDetached(root.publicKey, message, signature.subarray(0, 63)), 'BAD_SIGNATURE');
  });
});

describe('key directory entries', () => {
  it('verifies an entry signed by the root key', () => {
    const signature = signDirectoryEntry(root.privateKey, entry);
    expect(() => verifyDirectoryEntry(root.publicKey, entry, signature)).not.toThrow();
  });

  it('rejects an entry whose body public key was replaced or modified', () => {
    const signature = signDirectoryEntry(root.privateKey, entry);
    const swapped = { ...entry, publicKey: generateBoxKeyPair().publicKey };
    expectCryptoError(() => verifyDirectoryEntry(root.publicKey, swapped, signature), 'BAD_SIGNATURE');
    for (const i of [0, 15, 31]) {
      const modified = { ...entry, publicKey: flipBit(entry.publicKey, i) };
      expectCryptoError(() => verifyDirectoryEntry(root.publicKey, modified, signature), 'BAD_SIGNATURE');
    }
  });

  it('rejects an entry with another body, key version or date', () => {
    const signature = signDirectoryEntry(root.privateKey, entry);
    for (const changed of [
      { ...entry, bodyId: 'ubkt-quan-2' },
      { ...entry, keyVersion: 3 },
      { ...entry, createdAt: '2025-07-16' },
    ]) {
      expectCryptoError(() => verifyDirectoryEntry(root.publicKey, changed, signature), 'BAD_SIGNATURE');
    }
  });

  it('rejects an entry signed by a key other than the root key', () => {
    const signature = signDirectoryEntry(generateSigningKeyPair().privateKey, entry);
    expectCryptoError(() => verifyDirectoryEntry(root.publicKey, entry, signature), 'BAD_SIGNATURE');
  });

  it('rejects a malformed entry as BAD_SIGNATURE when verifying and BAD_INPUT when signing', () => {
    const signature = signDirectoryEntry(root.privateKey, entry);
    expectCryptoError(() => verifyDirectoryEntry(root.publicKey, { ...entry, publicKey: new Uint8Array(31) }, signature), 'BAD_SIGNATURE');
    for (const bad of [
      { ...entry, createdAt: '2025-02-30' },
      { ...entry, createdAt: '2025-07-15T10:00:00Z' },
      { ...entry, keyVersion: 0 },
      { ...entry, keyVersion: 1.5 },
      { ...entry, bodyId: '' },
    ]) {
      expectCryptoError(() => signDirectoryEntry(root.privateKey, bad), 'BAD_INPUT');
    }
  });

  it('encodes an entry canonically: format byte, label, then length-prefixed fields', () => {
    const fixed = { bodyId: 'b', keyVersion: 258, publicKey: new Uint8Array(32).fill(0xaa), createdAt: '2025-01-02' };
    const label = toHex(utf8Encode('minhbach/key-directory-entry'));
    expect(toHex(encodeDirectoryEntry(fixed))).toBe(
      `61` +
        `0000001c${label}` +
        `0000000162` +
        `0000000400000102` +
        `00000020${'aa'.repeat(32)}` +
        `0000000a${toHex(utf8Encode('2025-01-02'))}`,
    );
  });
});

describe('signed conclusions', () => {
  let staff: SigningKeyPair;
  let statement: ConclusionStatement;
  beforeAll(() => {
    staff = generateSigningKeyPair();
    statement = { caseRef: 'MB-2025-000042', outcome: 'not_substantiated', textHash: hashConclusionText('Không có cơ sở.') };
  });

  it('hashes the conclusion text with plain BLAKE2b-256', () => {
    // Independent values: Python hashlib.blake2b(..., digest_size=32).
    expect(toHex(hashConclusionText(''))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
    expect(toHex(hashConclusionText('Kết luận'))).toBe('1355adbbda5019f27c82c24b28290890ec80997bbe46d46af3a936f002103665');
  });

  it('verifies a conclusion signed by the staff key', () => {
    const signature = signConclusion(staff.privateKey, statement);
    expect(() => verifyConclusion(staff.publicKey, statement, signature)).not.toThrow();
  });

  it('rejects a conclusion with another outcome, case or text', () => {
    const signature = signConclusion(staff.privateKey, statement);
    for (const changed of [
      { ...statement, outcome: 'substantiated' as const },
      { ...statement, caseRef: 'MB-2025-000043' },
      { ...statement, textHash: hashConclusionText('Không có cơ sở') },
    ]) {
      expectCryptoError(() => verifyConclusion(staff.publicKey, changed, signature), 'BAD_SIGNATURE');
    }
    expectCryptoError(() => verifyConclusion(generateSigningKeyPair().publicKey, statement, signature), 'BAD_SIGNATURE');
  });

  it('refuses an unknown outcome', () => {
    const bogus = { ...statement, outcome: 'maybe' } as unknown as ConclusionStatement;
    expectCryptoError(() => signConclusion(staff.privateKey, bogus), 'BAD_INPUT');
  });
});
