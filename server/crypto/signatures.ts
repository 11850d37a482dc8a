// Ed25519 detached signatures over canonical encodings. Each encoding starts with its own
// format byte and label, so a signature made for one kind of statement can never be
// presented as another (a conclusion signature as a key directory entry, say).
import { CONCLUSION_OUTCOMES, type ConclusionOutcome } from '../domain/vocabulary.ts';
import { CryptoError } from './errors.ts';
import { concatBytes, encodeFields, encodeUint32, utf8Encode } from './encoding.ts';
import { FORMAT, requireBytes, requireText } from './formats.ts';
import { BOX_PUBLIC_KEY_BYTES, SIGN_PRIVATE_KEY_BYTES, SIGN_PUBLIC_KEY_BYTES } from './keys.ts';
import { getSodium } from './sodium.ts';

export const SIGNATURE_BYTES = 64;
export const CONCLUSION_TEXT_HASH_BYTES = 32;

/** A body's X25519 public key as published in the key directory, signed by the root key. */
export type DirectoryEntry = { bodyId: string; keyVersion: number; publicKey: Uint8Array; createdAt: string };
export type ConclusionStatement = { caseRef: string; outcome: ConclusionOutcome; textHash: Uint8Array };

export function signDetached(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  requireBytes(privateKey, SIGN_PRIVATE_KEY_BYTES, 'The Ed25519 private key');
  return getSodium().crypto_sign_detached(message, privateKey);
}

/** Throws BAD_SIGNATURE rather than returning false, so a forgotten check cannot pass. */
export function verifyDetached(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
  requireBytes(publicKey, SIGN_PUBLIC_KEY_BYTES, 'The Ed25519 public key');
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) throw new CryptoError('BAD_SIGNATURE');
  let isValid: boolean;
  try {
    isValid = getSodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    isValid = false;
  }
  if (!isValid) throw new CryptoError('BAD_SIGNATURE');
}

// A calendar date (YYYY-MM-DD), not a timestamp: no time zone can change the signed bytes.
function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function encodeDirectoryEntry(entry: DirectoryEntry): Uint8Array {
  const { bodyId, keyVersion, publicKey, createdAt } = entry;
  requireText(bodyId, 'The body id');
  if (!Number.isInteger(keyVersion) || keyVersion < 1) throw new CryptoError('BAD_INPUT', 'The key version must be a positive integer.');
  requireBytes(publicKey, BOX_PUBLIC_KEY_BYTES, 'The body public key');
  if (!isCalendarDate(createdAt)) {
    throw new CryptoError('BAD_INPUT', 'The creation date must be a valid YYYY-MM-DD date.');
  }
  return concatBytes(
    Uint8Array.of(FORMAT.DIRECTORY_ENTRY_V1),
    encodeFields([
      utf8Encode('minhbach/key-directory-entry'),
      utf8Encode(bodyId),
      encodeUint32(keyVersion),
      publicKey,
      utf8Encode(createdAt),
    ]),
  );
}

export const signDirectoryEntry = (rootPrivateKey: Uint8Array, entry: DirectoryEntry): Uint8Array =>
  signDetached(rootPrivateKey, encodeDirectoryEntry(entry));

/** The web build calls this with its embedded root public key and refuses unsigned keys. */
export function verifyDirectoryEntry(rootPublicKey: Uint8Array, entry: DirectoryEntry, signature: Uint8Array): void {
  let encoded: Uint8Array;
  try {
    encoded = encodeDirectoryEntry(entry);
  } catch {
    // A malformed entry cannot carry a valid signature; one code keeps callers simple.
    throw new CryptoError('BAD_SIGNATURE');
  }
  verifyDetached(rootPublicKey, encoded, signature);
}

/** Plain BLAKE2b-256 of the UTF-8 text, so anyone can check a published conclusion with b2sum. */
export function hashConclusionText(text: string): Uint8Array {
  if (typeof text !== 'string') throw new CryptoError('BAD_INPUT', 'Expected a string.');
  return getSodium().crypto_generichash(CONCLUSION_TEXT_HASH_BYTES, utf8Encode(text), null);
}

export function encodeConclusion({ caseRef, outcome, textHash }: ConclusionStatement): Uint8Array {
  requireText(caseRef, 'The case reference');
  if (!CONCLUSION_OUTCOMES.includes(outcome)) throw new CryptoError('BAD_INPUT', 'Unknown conclusion outcome.');
  requireBytes(textHash, CONCLUSION_TEXT_HASH_BYTES, 'The text hash');
  return concatBytes(
    Uint8Array.of(FORMAT.CONCLUSION_V1),
    encodeFields([utf8Encode('minhbach/conclusion'), utf8Encode(caseRef), utf8Encode(outcome), textHash]),
  );
}

export const signConclusion = (signPrivateKey: Uint8Array, statement: ConclusionStatement): Uint8Array =>
  signDetached(signPrivateKey, encodeConclusion(statement));

export function verifyConclusion(signPublicKey: Uint8Array, statement: ConclusionStatement, signature: Uint8Array): void {
  let encoded: Uint8Array;
  try {
    encoded = encodeConclusion(statement);
  } catch {
    throw new CryptoError('BAD_SIGNATURE');
  }
  verifyDetached(signPublicKey, encoded, signature);
}
