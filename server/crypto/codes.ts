// Human-typed codes (receipts, recovery keys): Crockford base32 with one check symbol.
// The check symbol is a linear code over GF(32), which catches every single wrong
// character and every swap of two neighbours, so a typo is reported on the device instead
// of costing a rate-limited lookup on the server.
import { CryptoError } from './errors.ts';
import { getSodium } from './sodium.ts';

/** Crockford's alphabet: no I, L, O (confused with 1, 1, 0) and no U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BITS_PER_SYMBOL = 5;

const CONFUSABLES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };
// Spaces, dashes of every kind a phone keyboard offers, dots and underscores.
const SEPARATORS = /[\s\u002d\u2010-\u2015\u2212._]/gu;

// GF(2^5) with the primitive polynomial x^5 + x^2 + 1; alpha = x = 2 has order 31.
function gfMul(a: number, b: number): number {
  let result = 0;
  for (let i = 0; i < BITS_PER_SYMBOL; i++) {
    if (b & 1) result ^= a;
    b >>= 1;
    a <<= 1;
    if (a & 0x20) a ^= 0x25;
  }
  return result;
}

function gfAlphaPow(exponent: number): number {
  let result = 1;
  for (let i = 0; i < ((exponent % 31) + 31) % 31; i++) result = gfMul(result, 2);
  return result;
}

/** Sum of alpha^i * v_i over the symbols; a valid code (data + check) sums to zero. */
function syndrome(values: readonly number[]): number {
  return values.reduce((sum, v, i) => sum ^ gfMul(gfAlphaPow(i), v), 0);
}

/** The check symbol that makes the syndrome of data + check zero. */
export function checkSymbol(data: string): string {
  const values = [...data].map(symbolValue);
  const check = gfMul(syndrome(values), gfAlphaPow(-values.length));
  return CROCKFORD_ALPHABET.charAt(check);
}

function symbolValue(symbol: string): number {
  const value = symbol.length === 1 ? CROCKFORD_ALPHABET.indexOf(symbol) : -1;
  if (value < 0) throw new CryptoError('BAD_INPUT', 'Unexpected character in the code.');
  return value;
}

/** A fresh random code of `length` symbols (the last one is the check), canonical form. */
export function generateCode(length: number): string {
  // The low 5 bits of a uniform byte are uniform (32 divides 256): no modulo bias.
  const random = getSodium().randombytes_buf(length - 1);
  const data = Array.from(random, (byte) => CROCKFORD_ALPHABET.charAt(byte & 31)).join('');
  return data + checkSymbol(data);
}

/**
 * Canonical form of a typed code: case-insensitive, separators dropped, O read as 0 and
 * I/L as 1. Throws BAD_INPUT on a wrong length, a stray character or a failed check.
 */
export function parseCode(input: string, length: number, what: string): string {
  if (typeof input !== 'string' || input.length > length * 4) {
    throw new CryptoError('BAD_INPUT', `The ${what} is not in the expected form.`);
  }
  // NFKC folds full-width letters and digits that some phone keyboards produce.
  const cleaned = input.normalize('NFKC').toUpperCase().replace(SEPARATORS, '');
  const canonical = [...cleaned].map((c) => CONFUSABLES[c] ?? c).join('');
  if (canonical.length !== length) {
    throw new CryptoError('BAD_INPUT', `The ${what} must have ${length} letters and digits.`);
  }
  const values = [...canonical].map((c) => {
    const value = CROCKFORD_ALPHABET.indexOf(c);
    if (value < 0) throw new CryptoError('BAD_INPUT', `The ${what} contains a character that is not used in codes.`);
    return value;
  });
  if (syndrome(values) !== 0) throw new CryptoError('BAD_INPUT', `The ${what} has a typo: check each character.`);
  return canonical;
}

/** "ABCDEFGH" → "ABCD-EFGH". */
export function groupCode(canonical: string, groupSize = 4): string {
  const groups: string[] = [];
  for (let i = 0; i < canonical.length; i += groupSize) groups.push(canonical.slice(i, i + groupSize));
  return groups.join('-');
}
