// Proof of work against automated flooding, without identifying anyone: find a nonce
// such that BLAKE2b-256(challenge ‖ nonce), both as UTF-8, starts with `difficulty` zero
// bits. Runs in slices on the main thread, yielding between them so the page stays
// responsive and the progress bar moves (a worker would load libsodium a second time).
import { concatBytes, utf8Encode } from '$crypto';
import sodium from 'libsodium-wrappers-sumo';
import type { PowResponse } from '$schemas/intake';

const SLICE = 2000;

export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

/** Resolves with the nonce; `onProgress` gets a rough 0..1 estimate. */
export async function solvePow(pow: PowResponse, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<string> {
  const challenge = utf8Encode(pow.challenge);
  const expected = 2 ** pow.difficulty;
  for (let attempt = 0; ; attempt++) {
    const nonce = attempt.toString(36);
    const hash = sodium.crypto_generichash(32, concatBytes(challenge, utf8Encode(nonce)), null);
    if (leadingZeroBits(hash) >= pow.difficulty) {
      onProgress(1);
      return nonce;
    }
    if (attempt % SLICE === SLICE - 1) {
      // Expected work is 2^difficulty hashes; the estimate approaches 1 without reaching it.
      onProgress(1 - Math.exp(-attempt / expected));
      await new Promise((resolve) => setTimeout(resolve, 0));
      signal?.throwIfAborted();
    }
  }
}
