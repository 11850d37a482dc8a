// Known-answer tests: vectors.json was produced once by generate-vectors.ts. If one of
// these fails, the change breaks data already stored; add a new format version instead.
import { readFileSync } from 'node:fs';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  boxKeyPairFromPrivateKey,
  decryptFile,
  decryptJson,
  decryptText,
  deriveReceiptKeys,
  encodeConclusion,
  encodeDirectoryEntry,
  encryptJson,
  encryptText,
  fingerprint,
  fromBase64Url,
  fromHex,
  hashConclusionText,
  hashLookupToken,
  initCrypto,
  openSealedKey,
  signConclusion,
  signDirectoryEntry,
  signingKeyPairFromSeed,
  toHex,
  unlockWithPassphrase,
  unlockWithRecoveryKey,
  utf8Encode,
  verifyConclusion,
  verifyDirectoryEntry,
  wrapWithPassphrase,
  wrapWithRecoveryKey,
} from '../../../server/crypto/index.ts';
import { encodeFields } from '../../../server/crypto/encoding.ts';
import { expectSameBytes } from './helpers.ts';
import { filePattern, type Vectors } from './vector-inputs.ts';

const v = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as Vectors;

beforeAll(async () => {
  await initCrypto();
});

describe('known-answer vectors', () => {
  it('text envelope: decrypts to the stored text and re-encrypts to the same bytes', () => {
    const { key, caseRef, part, nonce, plaintext, envelope } = v.text;
    expect(decryptText(fromHex(key), { caseRef, part }, fromHex(envelope))).toBe(plaintext);
    expect(toHex(encryptText(fromHex(key), { caseRef, part }, plaintext, { nonce: fromHex(nonce) }))).toBe(envelope);
  });

  it('text envelope: layout and associated data are exactly as documented', () => {
    const { key, caseRef, part, nonce, plaintext, envelope } = v.text;
    const bytes = fromHex(envelope);
    expect(toHex(bytes.subarray(1, 25))).toBe(nonce);
    const ad = new Uint8Array([0x21, ...encodeFields([utf8Encode(part), utf8Encode(caseRef)])]);
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(25), ad, fromHex(nonce), fromHex(key));
    expect(sodium.to_string(sodium.unpad(padded, 256))).toBe(plaintext);
  });

  it('JSON envelope: decrypts to the stored value and re-encrypts to the same bytes', () => {
    const { key, caseRef, part, nonce, value, envelope } = v.json;
    expect(decryptJson(fromHex(key), { caseRef, part }, fromHex(envelope))).toEqual(value);
    expect(toHex(encryptJson(fromHex(key), { caseRef, part }, value, { nonce: fromHex(nonce) }))).toBe(envelope);
  });

  it('sealed key: the stored blob opens to the stored key', () => {
    const { recipientPrivateKey, recipientPublicKey, key, sealed } = v.sealedKey;
    const recipient = boxKeyPairFromPrivateKey(fromHex(recipientPrivateKey));
    expect(toHex(recipient.publicKey)).toBe(recipientPublicKey);
    expect(toHex(openSealedKey(fromHex(sealed), recipient.publicKey, recipient.privateKey))).toBe(key);
  });

  it('file stream: the stored multi-chunk blob and the empty file decrypt to the expected bytes', () => {
    expectSameBytes(decryptFile(fromHex(v.file.key), fromBase64Url(v.file.blob)), filePattern(v.file.plaintextLength));
    expect(decryptFile(fromHex(v.emptyFile.key), fromBase64Url(v.emptyFile.blob))).toHaveLength(0);
  });

  it('receipt: derives the stored lookup token, its hash and the reporter public key', () => {
    const { receipt, lookupToken, lookupTokenHash, reporterPublicKey } = v.receipt;
    const keys = deriveReceiptKeys(receipt);
    expect(toHex(keys.lookupToken)).toBe(lookupToken);
    expect(toHex(hashLookupToken(keys.lookupToken))).toBe(lookupTokenHash);
    expect(toHex(keys.boxKeyPair.publicKey)).toBe(reporterPublicKey);
    expect(toHex(deriveReceiptKeys(receipt.toLowerCase().replaceAll('-', '')).lookupToken)).toBe(lookupToken);
  });

  it('fingerprint: the root key fingerprint is stable', () => {
    expect(fingerprint(fromHex(v.fingerprint.publicKey))).toBe(v.fingerprint.fingerprint);
  });

  it('directory entry: encodes, signs and verifies to the stored bytes', () => {
    const d = v.directory;
    const root = signingKeyPairFromSeed(fromHex(d.rootSeed));
    expect(toHex(root.publicKey)).toBe(d.rootPublicKey);
    const entry = { bodyId: d.bodyId, keyVersion: d.keyVersion, publicKey: fromHex(d.publicKey), createdAt: d.createdAt };
    expect(toHex(encodeDirectoryEntry(entry))).toBe(d.encoded);
    expect(toHex(signDirectoryEntry(root.privateKey, entry))).toBe(d.signature);
    expect(() => verifyDirectoryEntry(fromHex(d.rootPublicKey), entry, fromHex(d.signature))).not.toThrow();
  });

  it('conclusion: hashes, encodes, signs and verifies to the stored bytes', () => {
    const c = v.conclusion;
    const staff = signingKeyPairFromSeed(fromHex(c.signSeed));
    expect(toHex(hashConclusionText(c.text))).toBe(c.textHash);
    const statement = { caseRef: c.caseRef, outcome: c.outcome, textHash: fromHex(c.textHash) };
    expect(toHex(encodeConclusion(statement))).toBe(c.encoded);
    expect(toHex(signConclusion(staff.privateKey, statement))).toBe(c.signature);
    expect(() => verifyConclusion(fromHex(c.signPublicKey), statement, fromHex(c.signature))).not.toThrow();
  });

  it('key bundle: both stored copies unlock to the expected keys and re-wrap to the same bytes', () => {
    const k = v.keyBundle;
    const passphraseKeys = unlockWithPassphrase(fromHex(k.passphraseBundle), k.passphrase);
    expect(toHex(passphraseKeys.box.publicKey)).toBe(k.boxPublicKey);
    expect(toHex(passphraseKeys.sign.publicKey)).toBe(k.signPublicKey);
    const recoveryKeys = unlockWithRecoveryKey(fromHex(k.recoveryBundle), k.recoveryKey);
    expect(recoveryKeys).toEqual(passphraseKeys);

    const staff = { boxPrivateKey: fromHex(k.boxPrivateKey), signPrivateKey: signingKeyPairFromSeed(fromHex(k.signSeed)).privateKey };
    const rewrapped = wrapWithPassphrase(staff, k.passphrase, { limits: k.limits, salt: fromHex(k.salt), nonce: fromHex(k.nonce) });
    expect(toHex(rewrapped)).toBe(k.passphraseBundle);
    expect(toHex(wrapWithRecoveryKey(staff, k.recoveryKey, { nonce: fromHex(k.recoveryNonce) }))).toBe(k.recoveryBundle);
  });
});
