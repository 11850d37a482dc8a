import { toHex } from './encoding.ts';
import { requireBytes } from './formats.ts';
import { getSodium, initCrypto } from './sodium.ts';

export type BoxKeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };
export type SigningKeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };

export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_PRIVATE_KEY_BYTES = 32;
export const SIGN_PUBLIC_KEY_BYTES = 32;
/** libsodium's Ed25519 private key is seed (32) || public key (32). */
export const SIGN_PRIVATE_KEY_BYTES = 64;
export const SIGN_SEED_BYTES = 32;
export const FINGERPRINT_BYTES = 20;

/** X25519 key pair for crypto_box / crypto_box_seal (staff, bodies). */
export function generateBoxKeyPair(): BoxKeyPair {
  const { publicKey, privateKey } = getSodium().crypto_box_keypair();
  return { publicKey, privateKey };
}

export function boxKeyPairFromPrivateKey(privateKey: Uint8Array): BoxKeyPair {
  requireBytes(privateKey, BOX_PRIVATE_KEY_BYTES, 'The X25519 private key');
  return { publicKey: getSodium().crypto_scalarmult_base(privateKey), privateKey: privateKey.slice() };
}

/** Ed25519 key pair for detached signatures (root key, staff signing keys). */
export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = getSodium().crypto_sign_keypair();
  return { publicKey, privateKey };
}

export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  requireBytes(seed, SIGN_SEED_BYTES, 'The Ed25519 seed');
  const { publicKey, privateKey } = getSodium().crypto_sign_seed_keypair(seed);
  return { publicKey, privateKey };
}

/**
 * Short fingerprint of a public key for out-of-band checks, e.g. the root key on the
 * public pages: unkeyed BLAKE2b-160 of the raw key in 10 groups of 4 hex digits. Unkeyed
 * on purpose, so anyone can recompute it with `b2sum -l 160` without our code.
 */
export function fingerprint(publicKey: Uint8Array): string {
  requireBytes(publicKey, 32, 'The public key');
  const hex = toHex(getSodium().crypto_generichash(FINGERPRINT_BYTES, publicKey, null));
  return (hex.match(/.{4}/g) ?? []).join(' ');
}

/** fingerprint() for callers that may run before initCrypto (e.g. a server service). */
export async function publicKeyFingerprint(publicKey: Uint8Array): Promise<string> {
  await initCrypto();
  return fingerprint(publicKey);
}
