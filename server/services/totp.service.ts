// TOTP (RFC 6238, the authenticator-app default: SHA-1, 6 digits, 30 s). Secrets are kept
// encrypted under the server secret's TOTP subkey, bound to the account id.
import { generateSecret, generateURI, verify } from 'otplib';
import { openAtRest, sealAtRest } from '../secrets.ts';
import { TOTP_PERIOD_SECONDS, TOTP_TOLERANCE_SECONDS } from './auth-rules.ts';

export const TOTP_ISSUER = 'Minh Bạch';

/** 20 random bytes (160 bits, RFC 4226's recommendation) in base32. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const totpUri = (username: string, secret: string): string =>
  generateURI({ issuer: TOTP_ISSUER, label: username, secret, period: TOTP_PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });

export const sealTotpSecret = (key: Uint8Array, staffId: string, secret: string): Uint8Array =>
  sealAtRest(key, new TextEncoder().encode(secret), `totp:${staffId}`);

export const openTotpSecret = (key: Uint8Array, staffId: string, sealed: Uint8Array): string =>
  new TextDecoder().decode(openAtRest(key, sealed, `totp:${staffId}`));

export type TotpCheck = { valid: false } | { valid: true; step: number };

/** Checks a code at `now`; returns the time step it belongs to, for replay protection. */
export async function checkTotpCode(secret: string, code: string, now: Date): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({ secret, token: code, epoch, period: TOTP_PERIOD_SECONDS, epochTolerance: TOTP_TOLERANCE_SECONDS });
  if (!result.valid) return { valid: false };
  // The functional API types the result for TOTP and HOTP alike; TOTP's delta counts periods.
  return { valid: true, step: 'timeStep' in result ? (result.timeStep as number) : Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta };
}

/** Seconds until the code valid at `now` changes (for the demo helper). */
export const secondsLeftInStep = (now: Date): number => TOTP_PERIOD_SECONDS - (Math.floor(now.getTime() / 1000) % TOTP_PERIOD_SECONDS);
