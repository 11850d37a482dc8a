// Passkeys as a second factor, where the browser offers them. WebAuthn needs a domain name
// (not an IP address) and a secure context, so the demo at http://127.0.0.1 offers TOTP only.
import type * as SimpleWebAuthn from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { setWebauthnChallenge, takeWebauthnChallenge } from '../repositories/session.repository.ts';
import { clearFailedSignIns } from '../repositories/staff.repository.ts';
import { findPasskey, insertPasskey, listPasskeys, updatePasskeyUse } from '../repositories/staff-webauthn.repository.ts';
import { appendAudit } from './audit.service.ts';
import { recordFailure, type AuthDeps } from './auth.service.ts';
import { upgradeSession, type OpenedSession, type StaffSession } from './session.service.ts';

const CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const RP_NAME = 'Minh Bạch';

// Loaded on first use (about 7 MiB of RSS at start): most processes never see a passkey, and
// the public API should not carry it. The address check runs first, so refusals are unchanged.
let library: Promise<typeof SimpleWebAuthn> | undefined;
const webauthn = (): Promise<typeof SimpleWebAuthn> => (library ??= import('@simplewebauthn/server'));

export type WebauthnDeps = AuthDeps & { config: Pick<Config, 'publicOrigin'> };

const rpIdOf = (origin: string): string => new URL(origin).hostname;

/** Passkeys work only on a named host; an IP address cannot be a WebAuthn relying party. */
export function isPasskeyAvailable(origin: string): boolean {
  const host = rpIdOf(origin);
  return !/^\d{1,3}(\.\d{1,3}){3}$/.test(host) && !host.includes(':') && (origin.startsWith('https://') || host === 'localhost');
}

function requireAvailable(deps: WebauthnDeps): string {
  if (!isPasskeyAvailable(deps.config.publicOrigin)) throw new AppError('CONFLICT', 'Passkeys are not available at this address; use the authenticator app.');
  return rpIdOf(deps.config.publicOrigin);
}

async function takeChallenge(deps: AuthDeps, session: StaffSession): Promise<string> {
  const taken = await deps.db.transaction((tx) => takeWebauthnChallenge(tx, session.idHash));
  if (!taken || taken.expiresAt.getTime() <= deps.now().getTime()) {
    throw new AppError('CONFLICT', 'The passkey request expired. Start again.');
  }
  return taken.challenge;
}

export async function passkeyRegistrationOptions(deps: WebauthnDeps, session: StaffSession): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rpID = requireAvailable(deps);
  const existing = await listPasskeys(deps.db, session.staffId);
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: session.profile.username,
    userDisplayName: session.profile.displayName,
    userID: new TextEncoder().encode(session.staffId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: (c.transports as string[] | null) ?? [] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await setWebauthnChallenge(deps.db, session.idHash, options.challenge, new Date(deps.now().getTime() + CHALLENGE_TTL_MS));
  return options;
}

export async function verifyPasskeyRegistration(deps: WebauthnDeps, session: StaffSession, response: RegistrationResponseJSON): Promise<void> {
  const rpID = requireAvailable(deps);
  const expectedChallenge = await takeChallenge(deps, session);
  const { verifyRegistrationResponse } = await webauthn();
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: deps.config.publicOrigin, expectedRPID: rpID, requireUserVerification: false });
  } catch {
    throw new AppError('UNPROCESSABLE', 'The passkey could not be verified. Try again.');
  }
  if (!verified.verified) throw new AppError('UNPROCESSABLE', 'The passkey could not be verified. Try again.');
  const { credential } = verified.registrationInfo;
  await deps.db.transaction(async (tx) => {
    const id = await insertPasskey(tx, {
      staffId: session.staffId, credentialId: credential.id, publicKey: credential.publicKey, counter: credential.counter,
      transports: credential.transports ?? [],
    });
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.passkey_added', resourceKind: 'staff', resourceId: session.staffId, detail: { passkeyId: id } });
  });
}

export async function passkeySignInOptions(deps: WebauthnDeps, session: StaffSession): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rpID = requireAvailable(deps);
  if (session.secondFactorDone) throw new AppError('CONFLICT', 'The second factor is already confirmed for this session.');
  const passkeys = await listPasskeys(deps.db, session.staffId);
  if (passkeys.length === 0) throw new AppError('CONFLICT', 'No passkey is registered for this account; use the authenticator app.');
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: passkeys.map((c) => ({ id: c.credentialId, transports: (c.transports as string[] | null) ?? [] })),
    userVerification: 'preferred',
  });
  await setWebauthnChallenge(deps.db, session.idHash, options.challenge, new Date(deps.now().getTime() + CHALLENGE_TTL_MS));
  return options;
}

export async function verifyPasskeySignIn(deps: WebauthnDeps, session: StaffSession, response: AuthenticationResponseJSON): Promise<OpenedSession> {
  const rpID = requireAvailable(deps);
  if (session.secondFactorDone) throw new AppError('CONFLICT', 'The second factor is already confirmed for this session.');
  const expectedChallenge = await takeChallenge(deps, session);
  const passkey = await findPasskey(deps.db, session.staffId, response.id);
  const { verifyAuthenticationResponse } = await webauthn();
  let isValid = false;
  let newCounter = 0;
  if (passkey) {
    try {
      const result = await verifyAuthenticationResponse({
        response, expectedChallenge, expectedOrigin: deps.config.publicOrigin, expectedRPID: rpID, requireUserVerification: false,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: (passkey.transports as string[] | null) ?? [] },
      });
      isValid = result.verified;
      newCounter = result.authenticationInfo.newCounter;
    } catch {
      isValid = false;
    }
  }
  if (!passkey || !isValid) {
    await recordFailure(deps, session.staffId, 'auth.second_factor_failed', { method: 'passkey', reason: 'not_verified' });
    throw new AppError('INVALID_CREDENTIALS', 'The passkey was not accepted.');
  }
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await updatePasskeyUse(tx, passkey.id, newCounter, now);
    await clearFailedSignIns(tx, session.staffId);
    const opened = await upgradeSession(tx, deps.keys, session, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.signed_in', resourceKind: 'staff', resourceId: session.staffId, detail: { method: 'passkey', passkeyId: passkey.id } });
    return opened;
  });
}
