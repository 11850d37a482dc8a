// The staff session as the pages see it: loaded from GET /api/auth/session (the cookie is
// httpOnly; the CSRF token comes with the answer and lives in memory only).
import { apiGet, apiPost, setCsrfToken } from '$lib/api';
import { clearKeys, keyState } from './keys.svelte';
import { navigate, STAFF_PATHS } from './nav';
import type { SessionInfo } from './types';

export const session = $state<{ info: SessionInfo | null }>({ info: null });

export async function refreshSession(): Promise<SessionInfo> {
  const info = await apiGet<SessionInfo>('/api/auth/session');
  setCsrfToken(info.csrfToken ?? null);
  session.info = info;
  if (!info.signedIn) clearKeys();
  return info;
}

/** After sign-in or the second factor: the new session's CSRF token. */
export function adoptCsrfToken(token: string): void {
  setCsrfToken(token);
}

export type Need = 'signed-out' | 'second-factor' | 'enrol' | 'complete' | 'keys';

/**
 * Where a member belongs right now: sign-in, the second factor, its enrolment, replacing a
 * temporary passphrase, setting up or unlocking keys, or the page they asked for.
 */
export function nextPathFor(info: SessionInfo, wantsKeys: boolean): string | null {
  if (!info.signedIn) return STAFF_PATHS.signIn;
  if (info.stage === 'second_factor') return STAFF_PATHS.secondFactor;
  if (info.stage === 'enrol_second_factor') return STAFF_PATHS.enrol;
  if (!info.hasKeys) return STAFF_PATHS.keySetup;
  if (info.mustChangePassphrase) return STAFF_PATHS.passphrase;
  if (wantsKeys && !keyState.staff) return STAFF_PATHS.unlock;
  return null;
}

/**
 * Loads the session and sends the member where they belong if this page is not it.
 * Returns the session when the page may render.
 */
export async function guard(need: Need, here: string): Promise<SessionInfo | null> {
  const info = await refreshSession();
  let target: string | null;
  if (need === 'signed-out') target = info.signedIn && info.stage === 'complete' ? nextPathFor(info, true) ?? landingPath() : null;
  else if (need === 'second-factor') target = info.signedIn && info.stage === 'second_factor' ? null : nextPathFor(info, true) ?? landingPath();
  else if (need === 'enrol') target = info.signedIn && info.stage === 'enrol_second_factor' ? null : nextPathFor(info, true) ?? landingPath();
  else target = nextPathFor(info, need === 'keys');
  if (target !== null && target !== here) {
    // A page asked for before sign-in or unlock (a notification e-mail's case link) is where
    // the member lands once the keys are open.
    if (need === 'keys' && here !== STAFF_PATHS.home) rememberReturnPath(here);
    await navigate(target, { replace: true });
    return null;
  }
  return info;
}

// Per tab, in the browser only; a path inside the staff area, never a full URL.
const RETURN_KEY = 'minhbach.staff.return';
const isStaffPath = (path: string): boolean => /^\/can-bo\/[A-Za-z0-9/_-]*$/.test(path);

function rememberReturnPath(path: string): void {
  try {
    if (isStaffPath(path)) sessionStorage.setItem(RETURN_KEY, path);
  } catch {
    // Storage refused (private mode): the member lands on the home page instead.
  }
}

/** Where to go once signed in and unlocked: the page asked for earlier, else the home page. */
export function landingPath(): string {
  try {
    const path = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    if (path && isStaffPath(path)) return path;
  } catch {
    // As above.
  }
  return STAFF_PATHS.home;
}

export async function signOut(everywhere: boolean): Promise<void> {
  try {
    await apiPost(everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out');
  } finally {
    clearKeys();
    setCsrfToken(null);
    session.info = { signedIn: false };
  }
  await navigate(STAFF_PATHS.signIn, { replace: true });
}
