// Proof of work for the public form: abuse control that identifies nobody. A challenge is
// stateless (HMAC-signed under a key derived from the server secret, with an expiry and
// the difficulty inside); the client finds a nonce such that BLAKE2b-256(challenge ‖ nonce)
// starts with `difficulty` zero bits. Replay is blocked by a Redis SET NX of the
// challenge's hash until it expires; that key says nothing about the client.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { initCrypto } from '../crypto/index.ts';
import { getSodium } from '../crypto/sodium.ts';
import { deriveSubkey, loadServerSecret } from '../secrets.ts';

const VERSION = 1;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;
const BODY_BYTES = 1 + 4 + 1 + RANDOM_BYTES;
export const POW_TTL_SECONDS = 600;

export type PowKey = Uint8Array;
export type Challenge = { challenge: string; difficulty: number; expiresAt: Date };

/** The PoW subkey of the server secret (server/secrets.ts). */
export async function loadPowKey(config: Pick<Config, 'mode' | 'serverSecretFile'>): Promise<PowKey> {
  return deriveSubkey(await loadServerSecret(config), 'pow-challenge');
}

const mac = (key: PowKey, body: Uint8Array): Buffer => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);

export function issueChallenge(key: PowKey, difficulty: number, now = new Date()): Challenge {
  const expires = Math.floor(now.getTime() / 1000) + POW_TTL_SECONDS;
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  body.writeUInt32BE(expires, 1);
  body.writeUInt8(difficulty, 5);
  randomBytes(RANDOM_BYTES).copy(body, 6);
  return {
    challenge: Buffer.concat([body, mac(key, body)]).toString('base64url'),
    difficulty,
    expiresAt: new Date(expires * 1000),
  };
}

export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** BLAKE2b-256 of the challenge and nonce strings as UTF-8, concatenated. */
export function powHash(challenge: string, nonce: string): Uint8Array {
  return getSodium().crypto_generichash(32, Buffer.concat([Buffer.from(challenge, 'utf8'), Buffer.from(nonce, 'utf8')]), null);
}

/** For tests and benchmarks: what the browser does. */
export async function solveChallenge(challenge: string, difficulty: number): Promise<string> {
  await initCrypto();
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(powHash(challenge, nonce)) >= difficulty) return nonce;
  }
}

export type VerifiedProof = { replayKey: string; ttlMs: number };

/**
 * Checks signature, expiry, difficulty and the work; consuming it is separate
 * (consumeProof) so a refused submission does not burn the client's work.
 */
export async function verifyProof(
  key: PowKey, minDifficulty: number, proof: { challenge: string; nonce: string },
  options: { now?: Date; requireWork?: boolean } = {},
): Promise<VerifiedProof> {
  const now = options.now ?? new Date();
  const refuse = (reason: string): never => {
    throw new AppError('VALIDATION_FAILED', 'The anti-abuse check failed. Fetch a new challenge and try again.', { field: 'pow', reason });
  };
  const raw = /^[A-Za-z0-9_-]+$/.test(proof.challenge) ? Buffer.from(proof.challenge, 'base64url') : Buffer.alloc(0);
  if (raw.length !== BODY_BYTES + MAC_BYTES || raw.readUInt8(0) !== VERSION) return refuse('malformed');
  const body = raw.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(mac(key, body), raw.subarray(BODY_BYTES))) return refuse('malformed');
  const expiresMs = body.readUInt32BE(1) * 1000;
  if (expiresMs <= now.getTime()) return refuse('expired');
  const difficulty = body.readUInt8(5);
  // The no-JS form cannot compute anything: it proves only that it fetched a fresh page.
  if (options.requireWork !== false) {
    if (difficulty < minDifficulty) return refuse('too_easy');
    await initCrypto();
    if (leadingZeroBits(powHash(proof.challenge, proof.nonce)) < difficulty) return refuse('wrong_nonce');
  }
  const replayKey = createHash('sha256').update(raw).digest('base64url').slice(0, 32);
  return { replayKey, ttlMs: expiresMs - now.getTime() };
}

/** Marks the challenge used; a second use is refused. */
export async function consumeProof(redis: Redis, prefix: string, proof: VerifiedProof): Promise<void> {
  let result: string | null;
  try {
    result = await redis.set(`${prefix}:pow:${proof.replayKey}`, '1', 'PX', Math.max(1000, proof.ttlMs), 'NX');
  } catch {
    throw new AppError('DEPENDENCY_UNAVAILABLE');
  }
  if (result !== 'OK') {
    throw new AppError('VALIDATION_FAILED', 'This anti-abuse challenge was already used. Fetch a new one.', { field: 'pow', reason: 'used' });
  }
}

/** Undoes consumeProof when the filing it paid for was refused before anything was stored. */
export async function releaseProof(redis: Redis, prefix: string, proof: VerifiedProof): Promise<void> {
  await redis.del(`${prefix}:pow:${proof.replayKey}`).catch(() => 0);
}
