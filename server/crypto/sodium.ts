import libsodium from 'libsodium-wrappers-sumo';
import { CryptoError } from './errors.ts';

export type Sodium = typeof libsodium;

let isReady = false;
let readyPromise: Promise<void> | undefined;

/**
 * Loads libsodium's WebAssembly. Await it once at startup (browser, server, worker);
 * every other function in this library throws NOT_READY until it has resolved.
 */
export function initCrypto(): Promise<void> {
  readyPromise ??= libsodium.ready.then(() => {
    isReady = true;
  });
  return readyPromise;
}

export const isCryptoReady = (): boolean => isReady;

// Before `ready` resolves the libsodium functions and constants are undefined, so a call
// would fail with an unhelpful TypeError; this turns it into a clear error.
export function getSodium(): Sodium {
  if (!isReady) throw new CryptoError('NOT_READY');
  return libsodium;
}
