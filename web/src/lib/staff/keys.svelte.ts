// Private keys live here, in this module's memory, and nowhere else: never in
// localStorage or sessionStorage, never sent anywhere. A reload forgets them and the member
// unlocks again.
import type { BoxKeyPair, SigningKeyPair } from '$crypto';

export type UnlockedBodyKey = { bodyId: string; keyVersion: number; status: 'pending' | 'current' | 'retired'; keyPair: BoxKeyPair };

export const keyState = $state<{ staff: { box: BoxKeyPair; sign: SigningKeyPair } | null; bodyKeys: UnlockedBodyKey[] }>({
  staff: null,
  bodyKeys: [],
});

/**
 * The passphrase typed at sign-in, held only until the keys are unlocked right after the
 * second factor, so the member does not type it twice. Cleared on use and after a while.
 */
let pendingPassphrase: { value: string; until: number } | null = null;

export function holdPassphraseForUnlock(value: string): void {
  pendingPassphrase = { value, until: Date.now() + 10 * 60 * 1000 };
}

export function takeHeldPassphrase(): string | null {
  const held = pendingPassphrase;
  pendingPassphrase = null;
  return held && held.until > Date.now() ? held.value : null;
}

function wipe(bytes: Uint8Array | undefined): void {
  bytes?.fill(0);
}

export function clearKeys(): void {
  wipe(keyState.staff?.box.privateKey);
  wipe(keyState.staff?.sign.privateKey);
  for (const k of keyState.bodyKeys) wipe(k.keyPair.privateKey);
  keyState.staff = null;
  keyState.bodyKeys = [];
  pendingPassphrase = null;
}
