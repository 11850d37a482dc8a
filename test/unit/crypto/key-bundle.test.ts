import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FORMAT,
  RECOVERY_KEY_ENTROPY_BITS,
  changePassphrase,
  createStaffKeyBundles,
  defaultPwhashLimits,
  generateBoxKeyPair,
  generateRecoveryKey,
  generateSigningKeyPair,
  initCrypto,
  normalizeRecoveryKey,
  readPassphraseBundleLimits,
  unlockWithPassphrase,
  unlockWithRecoveryKey,
  wrapWithPassphrase,
  wrapWithRecoveryKey,
  type PwhashLimits,
  type StaffPrivateKeys,
} from '../../../server/crypto/index.ts';
import { expectCryptoError, flipBit, withFirstByte } from './helpers.ts';

// Argon2id at its minimum cost keeps these tests fast; the defaults are checked once below.
const FAST: PwhashLimits = { opslimit: 1, memlimit: 8192 };
const passphrase = 'ngựa ô chạy qua cầu Long Biên';

let box: ReturnType<typeof generateBoxKeyPair>;
let sign: ReturnType<typeof generateSigningKeyPair>;
let keys: StaffPrivateKeys;

beforeAll(async () => {
  await initCrypto();
  box = generateBoxKeyPair();
  sign = generateSigningKeyPair();
  keys = { boxPrivateKey: box.privateKey, signPrivateKey: sign.privateKey };
});

describe('passphrase-wrapped key bundle', () => {
  it('unlocks to both key pairs with the right passphrase', () => {
    const bundle = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    expect(bundle[0]).toBe(FORMAT.PASSPHRASE_BUNDLE_V1);
    const unlocked = unlockWithPassphrase(bundle, passphrase);
    expect(unlocked.box).toEqual(box);
    expect(unlocked.sign).toEqual(sign);
  });

  it('refuses a wrong passphrase with DECRYPT_FAILED', () => {
    const bundle = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    expectCryptoError(() => unlockWithPassphrase(bundle, `${passphrase} `), 'DECRYPT_FAILED');
    expectCryptoError(() => unlockWithPassphrase(bundle, 'ngua o chay qua cau Long Bien'), 'DECRYPT_FAILED');
  });

  it('accepts the same passphrase typed with combining diacritics (NFD) or precomposed (NFC)', () => {
    const bundle = wrapWithPassphrase(keys, passphrase.normalize('NFC'), { limits: FAST });
    expect(passphrase.normalize('NFD')).not.toBe(passphrase.normalize('NFC'));
    expect(unlockWithPassphrase(bundle, passphrase.normalize('NFD')).box).toEqual(box);
  });

  it('fails with any single byte changed, including the stored limits and salt', () => {
    const bundle = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    expectCryptoError(() => unlockWithPassphrase(flipBit(bundle, 0), passphrase), 'UNSUPPORTED_VERSION');
    for (let i = 1; i < bundle.length; i++) {
      let caught: unknown;
      try {
        unlockWithPassphrase(flipBit(bundle, i), passphrase);
      } catch (e) {
        caught = e;
      }
      // Changing a limit byte may push it out of the accepted range (BAD_INPUT) first.
      expect(['DECRYPT_FAILED', 'BAD_INPUT'], `byte ${i}`).toContain((caught as { code?: string } | undefined)?.code);
    }
  });

  it('stores the limits it used and refuses a bundle asking for more than the sensitive limits', () => {
    const bundle = wrapWithPassphrase(keys, passphrase, { limits: { opslimit: 2, memlimit: 16384 } });
    expect(readPassphraseBundleLimits(bundle)).toEqual({ opslimit: 2, memlimit: 16384 });
    const greedy = bundle.slice();
    new DataView(greedy.buffer).setUint32(1, 1_000_000, false);
    expectCryptoError(() => unlockWithPassphrase(greedy, passphrase), 'BAD_INPUT');
    expectCryptoError(() => wrapWithPassphrase(keys, passphrase, { limits: { opslimit: 0, memlimit: 8192 } }), 'BAD_INPUT');
  });

  it('defaults to the interactive Argon2id limits', () => {
    expect(defaultPwhashLimits()).toEqual({
      opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
      memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    });
    const bundle = wrapWithPassphrase(keys, passphrase);
    expect(readPassphraseBundleLimits(bundle)).toEqual(defaultPwhashLimits());
    expect(unlockWithPassphrase(bundle, passphrase).sign).toEqual(sign);
  });

  it('uses a fresh salt and nonce each time', () => {
    const a = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    const b = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    expect(a.subarray(9, 25)).not.toEqual(b.subarray(9, 25));
    expect(a.subarray(25, 49)).not.toEqual(b.subarray(25, 49));
  });

  it('refuses unknown versions, short bundles and an empty passphrase', () => {
    const bundle = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    expectCryptoError(() => unlockWithPassphrase(withFirstByte(bundle, 0x42), passphrase), 'UNSUPPORTED_VERSION');
    expectCryptoError(() => unlockWithPassphrase(withFirstByte(bundle, FORMAT.RECOVERY_BUNDLE_V1), passphrase), 'UNSUPPORTED_VERSION');
    expectCryptoError(() => unlockWithPassphrase(bundle.subarray(0, 100), passphrase), 'TRUNCATED');
    expectCryptoError(() => wrapWithPassphrase(keys, '', { limits: FAST }), 'BAD_INPUT');
  });

  it('refuses an Ed25519 private key whose embedded public key does not match', () => {
    const forged = sign.privateKey.slice();
    forged[40] = (forged[40] ?? 0) ^ 1;
    expectCryptoError(() => wrapWithPassphrase({ ...keys, signPrivateKey: forged }, passphrase, { limits: FAST }), 'BAD_INPUT');
  });

  it('re-wraps under a new passphrase: the old one stops working, the keys stay the same', () => {
    const bundle = wrapWithPassphrase(keys, passphrase, { limits: FAST });
    const rewrapped = changePassphrase(bundle, passphrase, 'mật khẩu mới', { limits: FAST });
    expectCryptoError(() => unlockWithPassphrase(rewrapped, passphrase), 'DECRYPT_FAILED');
    expect(unlockWithPassphrase(rewrapped, 'mật khẩu mới')).toEqual({ box, sign });
    expectCryptoError(() => changePassphrase(bundle, 'sai', 'mới', { limits: FAST }), 'DECRYPT_FAILED');
  });
});

describe('recovery key bundle', () => {
  it('shows a recovery key of at least 128 bits as groups of four', () => {
    expect(RECOVERY_KEY_ENTROPY_BITS).toBeGreaterThanOrEqual(128);
    expect(generateRecoveryKey()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    expect(generateRecoveryKey()).not.toBe(generateRecoveryKey());
  });

  it('unlocks the keys with the recovery key, typed loosely', () => {
    const recoveryKey = generateRecoveryKey();
    const bundle = wrapWithRecoveryKey(keys, recoveryKey);
    expect(bundle[0]).toBe(FORMAT.RECOVERY_BUNDLE_V1);
    expect(unlockWithRecoveryKey(bundle, recoveryKey)).toEqual({ box, sign });
    const loose = recoveryKey.toLowerCase().replaceAll('-', ' ');
    expect(unlockWithRecoveryKey(bundle, loose)).toEqual({ box, sign });
  });

  it('refuses another valid recovery key with DECRYPT_FAILED and a mistyped one with BAD_INPUT', () => {
    const recoveryKey = generateRecoveryKey();
    const bundle = wrapWithRecoveryKey(keys, recoveryKey);
    expectCryptoError(() => unlockWithRecoveryKey(bundle, generateRecoveryKey()), 'DECRYPT_FAILED');
    const canonical = normalizeRecoveryKey(recoveryKey);
    const typo = (canonical[0] === 'A' ? 'B' : 'A') + canonical.slice(1);
    expectCryptoError(() => unlockWithRecoveryKey(bundle, typo), 'BAD_INPUT');
  });

  it('fails with any single byte of the recovery bundle changed', () => {
    const recoveryKey = generateRecoveryKey();
    const bundle = wrapWithRecoveryKey(keys, recoveryKey);
    expectCryptoError(() => unlockWithRecoveryKey(flipBit(bundle, 0), recoveryKey), 'UNSUPPORTED_VERSION');
    for (let i = 1; i < bundle.length; i++) {
      expectCryptoError(() => unlockWithRecoveryKey(flipBit(bundle, i), recoveryKey), 'DECRYPT_FAILED');
    }
  });

  it('creates both copies at enrolment, each unlocking the same keys', () => {
    const { passphraseBundle, recoveryBundle, recoveryKey } = createStaffKeyBundles(keys, passphrase, { limits: FAST });
    expect(unlockWithPassphrase(passphraseBundle, passphrase)).toEqual({ box, sign });
    expect(unlockWithRecoveryKey(recoveryBundle, recoveryKey)).toEqual({ box, sign });
    expectCryptoError(() => unlockWithPassphrase(recoveryBundle, passphrase), 'UNSUPPORTED_VERSION');
  });
});
