import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../../../server/crypto/index.ts';

/** Asserts that `fn` throws a CryptoError with exactly this code. */
export function expectCryptoError(fn: () => unknown, code: CryptoErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  expect((caught as CryptoError).code).toBe(code);
}

export async function expectCryptoErrorAsync(fn: () => Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  expect((caught as CryptoError).code).toBe(code);
}

/** A copy with one bit flipped at `index`. */
export function flipBit(bytes: Uint8Array, index: number, bit = 0x01): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ bit;
  return copy;
}

export function withFirstByte(bytes: Uint8Array, value: number): Uint8Array {
  const copy = bytes.slice();
  copy[0] = value;
  return copy;
}

/** Byte equality that stays fast on megabytes (toEqual walks typed arrays element by element). */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length, 'length').toBe(expected.length);
  const firstDifference = actual.findIndex((b, i) => b !== expected[i]);
  expect(firstDifference, 'index of the first differing byte').toBe(-1);
}
