// Unlocking in the browser: the member's own keys from their passphrase bundle, then every
// body key version sealed to them, each checked against the root key built into this app.
import { apiGet } from '$lib/api';
import { ROOT_SIGNING_KEY_B64 } from '$lib/root-key';
import { loadCrypto } from './crypto';
import { keyState, type UnlockedBodyKey } from './keys.svelte';
import type { MyBodyKey, MyKeys } from './types';

export class WrongPassphraseError extends Error {}

/** Throws WrongPassphraseError when the bundle does not open with this passphrase. */
export async function unlockWithPassphrase(passphrase: string): Promise<void> {
  const c = await loadCrypto();
  const mine = await apiGet<MyKeys>('/api/keys/me');
  if (!mine.hasKeys || !mine.passphraseBundle || !mine.boxPublicKey || !mine.signPublicKey) throw new Error('no keys');
  let keys;
  try {
    keys = c.unlockWithPassphrase(c.fromBase64Url(mine.passphraseBundle), passphrase);
  } catch (error) {
    if (c.isCryptoError(error) && error.code === 'DECRYPT_FAILED') throw new WrongPassphraseError();
    throw error;
  }
  // The bundle must hold the keys whose public halves the server lists for this account.
  if (c.toBase64Url(keys.box.publicKey) !== mine.boxPublicKey || c.toBase64Url(keys.sign.publicKey) !== mine.signPublicKey) {
    throw new Error('the key bundle does not match the account’s public keys');
  }
  keyState.staff = keys;
  await loadBodyKeys();
}

export type BodyKeyProblem = { bodyId: string; keyVersion: number; reason: 'unsigned' | 'bad_signature' | 'mismatch' };

/** Opens the member's body key grants; a version whose signature fails is refused, not used. */
export async function loadBodyKeys(): Promise<BodyKeyProblem[]> {
  const c = await loadCrypto();
  const staff = keyState.staff;
  if (!staff) return [];
  const { items } = await apiGet<{ items: MyBodyKey[] }>('/api/keys/me/body-keys');
  const root = c.fromBase64Url(ROOT_SIGNING_KEY_B64);
  const opened: UnlockedBodyKey[] = [];
  const problems: BodyKeyProblem[] = [];
  for (const grant of items) {
    let privateKey: Uint8Array;
    try {
      privateKey = c.openSealedKey(c.fromBase64Url(grant.sealedPrivateKey), staff.box.publicKey, staff.box.privateKey);
    } catch {
      problems.push({ bodyId: grant.bodyId, keyVersion: grant.keyVersion, reason: 'mismatch' });
      continue;
    }
    const keyPair = c.boxKeyPairFromPrivateKey(privateKey);
    if (c.toBase64Url(keyPair.publicKey) !== grant.publicKey) {
      problems.push({ bodyId: grant.bodyId, keyVersion: grant.keyVersion, reason: 'mismatch' });
      continue;
    }
    if (grant.signature !== null) {
      try {
        c.verifyDirectoryEntry(root, { bodyId: grant.bodyId, keyVersion: grant.keyVersion, publicKey: keyPair.publicKey, createdAt: grant.createdAt }, c.fromBase64Url(grant.signature));
      } catch {
        problems.push({ bodyId: grant.bodyId, keyVersion: grant.keyVersion, reason: 'bad_signature' });
        continue;
      }
    } else {
      // Pending: usable for granting to colleagues, but nothing is sealed to it until it is signed.
      problems.push({ bodyId: grant.bodyId, keyVersion: grant.keyVersion, reason: 'unsigned' });
    }
    opened.push({ bodyId: grant.bodyId, keyVersion: grant.keyVersion, status: grant.status, keyPair });
  }
  keyState.bodyKeys = opened;
  return problems;
}

export type DirectoryEntry = {
  bodyId: string; bodyCode: string; kind: string; level: string; jurisdictionCode: string; nameVi: string; nameEn: string;
  keyVersion: number; publicKey: string; createdAt: string; signature: string;
};

/** The key directory with every entry checked against the built-in root key; failures are dropped and counted. */
export async function verifiedDirectory(): Promise<{ entries: DirectoryEntry[]; refused: number; rootMatches: boolean }> {
  const c = await loadCrypto();
  const dir = await apiGet<{ rootPublicKey: string; entries: DirectoryEntry[] }>('/api/keys/directory');
  const root = c.fromBase64Url(ROOT_SIGNING_KEY_B64);
  const entries = dir.entries.filter((e) => {
    try {
      c.verifyDirectoryEntry(root, { bodyId: e.bodyId, keyVersion: e.keyVersion, publicKey: c.fromBase64Url(e.publicKey), createdAt: e.createdAt }, c.fromBase64Url(e.signature));
      return true;
    } catch {
      return false;
    }
  });
  return { entries, refused: dir.entries.length - entries.length, rootMatches: dir.rootPublicKey === ROOT_SIGNING_KEY_B64 };
}
