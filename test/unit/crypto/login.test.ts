// The login secret is what the browser sends instead of the passphrase. Its bytes must
// never change for a given (username, passphrase): every stored verifier depends on them.
import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deriveLoginSecret,
  encodeRecoveryProof,
  generateSigningKeyPair,
  initCrypto,
  loginSalt,
  signDetached,
  toHex,
  verifyDetached,
} from '../../../server/crypto/index.ts';
import { expectCryptoError } from './helpers.ts';

// Known answers, computed once when the format was fixed. Do not regenerate: a change here
// means every staff account would stop signing in.
const VECTORS = [
  {
    username: 'mttq.tiepnhan',
    passphrase: 'minhbach-demo-2026',
    salt: 'e2038a8e7671836a4092238739bebdaf',
    secret: 'b9a975bf31a4be3a9d932087dfa26418596876b6233fcceb94f18bf9a29e43c7',
  },
  {
    username: 'Người.Dùng',
    passphrase: 'Hà Nội mùa thu',
    salt: null,
    secret: 'c6bde88a0b8ae8201d768833af51b2795cdb211017a239c59fe2abc5afd2813c',
  },
] as const;

beforeAll(async () => {
  await initCrypto();
});

describe('login salt', () => {
  it('is the first 16 bytes of BLAKE2b-256 over the label and the lowercase username (b2sum -l 256)', () => {
    expect(toHex(loginSalt('mttq.tiepnhan'))).toBe(VECTORS[0].salt);
  });

  it('ignores the case of the username', () => {
    expect(loginSalt('MTTQ.TiepNhan')).toEqual(loginSalt('mttq.tiepnhan'));
  });

  it('differs between accounts', () => {
    expect(loginSalt('a')).not.toEqual(loginSalt('b'));
  });
});

describe('deriveLoginSecret', () => {
  it('matches the known-answer vectors', () => {
    for (const v of VECTORS) expect(toHex(deriveLoginSecret(v.username, v.passphrase))).toBe(v.secret);
  });

  it('is Argon2id with the interactive limits, as an independent implementation computes it', async () => {
    const v = VECTORS[0];
    const independent = await hashRaw(v.passphrase, {
      algorithm: 2 as Algorithm, // Argon2id (ambient const enum)
      memoryCost: 65_536, // KiB = crypto_pwhash_MEMLIMIT_INTERACTIVE
      timeCost: 2, // crypto_pwhash_OPSLIMIT_INTERACTIVE
      parallelism: 1,
      outputLen: 32,
      salt: loginSalt(v.username),
    });
    expect(toHex(new Uint8Array(independent))).toBe(v.secret);
  });

  it('derives the same secret from precomposed and combining Vietnamese input', () => {
    const v = VECTORS[1];
    expect(toHex(deriveLoginSecret(v.username, v.passphrase.normalize('NFD')))).toBe(v.secret);
  });

  it('refuses an empty passphrase or username', () => {
    expectCryptoError(() => deriveLoginSecret('a', ''), 'BAD_INPUT');
    expectCryptoError(() => deriveLoginSecret('', 'x'), 'BAD_INPUT');
  });
});

describe('recovery proof', () => {
  const base = () => ({
    username: 'ubkt.lanhdao',
    challenge: new Uint8Array(32).fill(7),
    newLoginSecret: new Uint8Array(32).fill(1),
    passphraseBundle: new Uint8Array(121).fill(2),
    recoveryBundle: new Uint8Array(105).fill(3),
  });

  it('binds the signature to every uploaded value', () => {
    const keys = generateSigningKeyPair();
    const signature = signDetached(keys.privateKey, encodeRecoveryProof(base()));
    verifyDetached(keys.publicKey, encodeRecoveryProof(base()), signature);
    const changed = { ...base(), recoveryBundle: new Uint8Array(105).fill(4) };
    expectCryptoError(() => verifyDetached(keys.publicKey, encodeRecoveryProof(changed), signature), 'BAD_SIGNATURE');
    const otherSecret = { ...base(), newLoginSecret: new Uint8Array(32).fill(9) };
    expectCryptoError(() => verifyDetached(keys.publicKey, encodeRecoveryProof(otherSecret), signature), 'BAD_SIGNATURE');
  });

  it('refuses a short challenge', () => {
    expectCryptoError(() => encodeRecoveryProof({ ...base(), challenge: new Uint8Array(4) }), 'BAD_INPUT');
  });
});
