// The envelope library is loaded only by the pages that need it (sign-in, keys), not by
// the public pages: libsodium is large, and its WebAssembly needs 'wasm-unsafe-eval'.
import type * as CryptoLibrary from '$crypto';

type CryptoModule = typeof CryptoLibrary;

let loading: Promise<CryptoModule> | undefined;

export function loadCrypto(): Promise<CryptoModule> {
  loading ??= import('$crypto').then(async (mod) => {
    await mod.initCrypto();
    return mod;
  });
  return loading;
}

/**
 * Lets the browser paint a progress message before a blocking computation (Argon2id runs
 * on the main thread for about a second).
 */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** What the server receives instead of the passphrase. */
export async function loginSecretFor(username: string, passphrase: string): Promise<string> {
  const c = await loadCrypto();
  return c.toBase64Url(c.deriveLoginSecret(username.trim(), passphrase));
}

export const MIN_PASSPHRASE_LENGTH = 12;

/** The server cannot check a passphrase it never sees; the page does. */
export function passphraseProblem(passphrase: string, username: string): 'short' | 'username' | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return 'short';
  if (passphrase.trim().toLowerCase() === username.trim().toLowerCase()) return 'username';
  return null;
}
