// The server secret: 32 random bytes in config.serverSecretFile, never in the database, so a
// database dump alone opens nothing it protects (TOTP secrets at rest, CSRF tokens, signed
// stateless challenges). Each use gets its own subkey, derived with a distinct label.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';

export const SERVER_SECRET_BYTES = 32;

export class ServerSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerSecretError';
  }
}

function parseSecret(raw: Buffer, file: string): Uint8Array {
  if (raw.length === SERVER_SECRET_BYTES) return new Uint8Array(raw);
  const text = raw.toString('utf8').trim();
  const decoded = /^[A-Za-z0-9_-]{43}$/.test(text) ? Buffer.from(text, 'base64url') : null;
  if (!decoded || decoded.length !== SERVER_SECRET_BYTES) {
    throw new ServerSecretError(`${file} must hold 32 bytes (raw or base64url)`);
  }
  return new Uint8Array(decoded);
}

/** Creates the file (mode 0600) if missing; refuses to overwrite one that appeared meanwhile. */
export async function createServerSecretFile(file: string): Promise<Uint8Array> {
  const secret = randomBytes(SERVER_SECRET_BYTES);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return new Uint8Array(secret);
}

const cache = new Map<string, Promise<Uint8Array>>();

async function readOrCreate(file: string, mayCreate: boolean): Promise<Uint8Array> {
  try {
    return parseSecret(await readFile(file), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (!mayCreate) {
      throw new ServerSecretError(`${file} is missing: production needs the server secret (npm run admin -- init creates it)`);
    }
    try {
      return await createServerSecretFile(file);
    } catch (createErr) {
      // Another process of this deployment created it first: use theirs.
      if ((createErr as NodeJS.ErrnoException).code === 'EEXIST') return parseSecret(await readFile(file), file);
      throw createErr;
    }
  }
}

/**
 * The deployment's server secret. Demo mode creates it on first start; production requires
 * it to exist (losing it means every TOTP enrolment must be redone).
 */
export function loadServerSecret(config: Pick<Config, 'mode' | 'serverSecretFile'>): Promise<Uint8Array> {
  const key = `${config.mode}:${config.serverSecretFile}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readOrCreate(config.serverSecretFile, config.mode === 'demo');
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

export type SubkeyLabel = 'totp-at-rest' | 'csrf' | 'recovery-challenge' | 'pow-challenge' | 'demo-decoy' | (string & {});

/** HMAC-SHA-256(secret, "minhbach/subkey/" ‖ label): independent keys from one secret. */
export function deriveSubkey(secret: Uint8Array, label: SubkeyLabel): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(`minhbach/subkey/${label}`).digest());
}

// AES-256-GCM with the record's id as associated data: a ciphertext copied onto another
// row does not decrypt. Layout: version (1) ‖ iv (12) ‖ tag (16) ‖ ciphertext.
const SEAL_VERSION = 1;

export function sealAtRest(key: Uint8Array, plaintext: Uint8Array, associatedData: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.of(SEAL_VERSION), iv, cipher.getAuthTag(), body]));
}

export function openAtRest(key: Uint8Array, sealed: Uint8Array, associatedData: string): Uint8Array {
  if (sealed.length < 1 + 12 + 16 || sealed[0] !== SEAL_VERSION) throw new ServerSecretError('sealed value has an unknown format');
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(buf.subarray(13, 29));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]));
  } catch {
    throw new ServerSecretError('sealed value does not open under this server secret');
  }
}
