// The server side of the login secret: it arrives as base64url (32 bytes, derived in the
// browser with deriveLoginSecret) and is kept only as an Argon2id verifier.
import { hash as argon2Hash, hashRaw, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import { AppError } from '../domain/errors.ts';
import { initCrypto, LOGIN_SECRET_BYTES, loginSalt } from '../crypto/index.ts';

/** Decodes a login secret from the wire; anything else is a validation error, never echoed. */
export function parseLoginSecret(value: string): Uint8Array {
  const bytes = /^[A-Za-z0-9_-]{43}$/.test(value) ? Buffer.from(value, 'base64url') : null;
  if (!bytes || bytes.length !== LOGIN_SECRET_BYTES) throw new AppError('VALIDATION_FAILED', undefined, { fields: ['loginSecret'] });
  return new Uint8Array(bytes);
}

// @node-rs/argon2 defaults to Argon2id (m=19 MiB, t=2, p=1, the OWASP baseline) off the
// event loop. The input already costs an Argon2id in the browser; this second hash makes a
// stolen verifier as slow to attack as a passphrase hash would be. Its verify() accepts only
// UTF-8 input, so the secret is hashed in its base64url form.
const asText = (secret: Uint8Array): string => Buffer.from(secret).toString('base64url');

export const hashLoginSecret = (secret: Uint8Array): Promise<string> => argon2Hash(asText(secret));

let dummyHash: Promise<string> | undefined;

/**
 * Verifies; for an unknown account it still spends the same time on a dummy verifier, so
 * the answer's timing does not say whether the account exists.
 */
export async function verifyLoginSecret(storedHash: string | null, secret: Uint8Array): Promise<boolean> {
  try {
    if (storedHash === null) {
      dummyHash ??= hashLoginSecret(new Uint8Array(LOGIN_SECRET_BYTES));
      await argon2Verify(await dummyHash, asText(secret));
      return false;
    }
    return await argon2Verify(storedHash, asText(secret));
  } catch {
    return false;
  }
}

/**
 * deriveLoginSecret (server/crypto/login.ts) computed off the event loop, for the few places
 * where the server itself knows a passphrase: the demo seed and temporary passphrases an
 * administrator hands out. Same Argon2id parameters; test/unit/crypto/login.test.ts checks
 * that both implementations agree.
 */
export async function deriveLoginSecretOffThread(username: string, passphrase: string): Promise<Uint8Array> {
  await initCrypto();
  const raw = await hashRaw(passphrase.normalize('NFC'), {
    algorithm: 2 as Algorithm, // Argon2id (an ambient const enum: not importable as a value)
    memoryCost: 65_536, // KiB: crypto_pwhash_MEMLIMIT_INTERACTIVE
    timeCost: 2, // crypto_pwhash_OPSLIMIT_INTERACTIVE
    parallelism: 1,
    outputLen: LOGIN_SECRET_BYTES,
    salt: loginSalt(username),
  });
  return new Uint8Array(raw);
}
