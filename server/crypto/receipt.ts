// The reporter's receipt: the only thing they keep. From it the browser derives, with
// keyed BLAKE2b under distinct context labels, (a) a lookup token the server knows only
// by its hash and (b) the reporter's X25519 key pair, to which the case key and staff
// replies are sealed. Same receipt, same outputs, on any device.
import { generateCode, groupCode, parseCode } from './codes.ts';
import { utf8Encode } from './encoding.ts';
import { requireBytes } from './formats.ts';
import type { BoxKeyPair } from './keys.ts';
import { getSodium } from './sodium.ts';

/** 19 random symbols + 1 check symbol: 95 bits, shown as 5 groups of 4 ("7K3Q-9XTA-..."). */
export const RECEIPT_LENGTH = 20;
export const RECEIPT_ENTROPY_BITS = (RECEIPT_LENGTH - 1) * 5;
export const LOOKUP_TOKEN_BYTES = 32;

export type ReceiptKeys = { lookupToken: Uint8Array; boxKeyPair: BoxKeyPair };

// Labels are part of the derivation: changing one orphans every existing receipt.
const CONTEXT = {
  lookupToken: utf8Encode('minhbach/receipt/lookup-token/v1'),
  boxSeed: utf8Encode('minhbach/receipt/reporter-box-seed/v1'),
  lookupTokenHash: utf8Encode('minhbach/receipt/lookup-token-hash/v1'),
} as const;

/** A fresh receipt in display form. */
export const generateReceipt = (): string => groupCode(generateCode(RECEIPT_LENGTH));

/**
 * Canonical receipt (20 upper-case symbols, no dashes). Accepts lowercase, spaces and
 * dashes, O for 0 and I/L for 1; throws BAD_INPUT on a wrong length or a failed check.
 */
export const normalizeReceipt = (input: string): string => parseCode(input, RECEIPT_LENGTH, 'receipt');

/** Display form of any accepted input: "XXXX-XXXX-XXXX-XXXX-XXXX". */
export const formatReceipt = (input: string): string => groupCode(normalizeReceipt(input));

// Keyed BLAKE2b as a PRF: the secret is the key, the context label the message.
function derive(receipt: string, context: Uint8Array): Uint8Array {
  return getSodium().crypto_generichash(32, context, utf8Encode(normalizeReceipt(receipt)));
}

export const deriveLookupToken = (receipt: string): Uint8Array => derive(receipt, CONTEXT.lookupToken);

export function deriveReporterKeyPair(receipt: string): BoxKeyPair {
  const seed = derive(receipt, CONTEXT.boxSeed);
  const { publicKey, privateKey } = getSodium().crypto_box_seed_keypair(seed);
  getSodium().memzero(seed);
  return { publicKey, privateKey };
}

export const deriveReceiptKeys = (receipt: string): ReceiptKeys => ({
  lookupToken: deriveLookupToken(receipt),
  boxKeyPair: deriveReporterKeyPair(receipt),
});

/**
 * Server side: what is stored and looked up instead of the token, so a database dump
 * cannot be replayed as lookups. A fast hash suffices: the token carries 95 bits.
 */
export function hashLookupToken(token: Uint8Array): Uint8Array {
  requireBytes(token, LOOKUP_TOKEN_BYTES, 'The lookup token');
  return getSodium().crypto_generichash(32, CONTEXT.lookupTokenHash, token);
}
