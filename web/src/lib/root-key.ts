// The deployment's root signing public key, embedded at build time (web/vite.config.ts).
// Body public keys from the key directory are trusted only when this key signed them.
declare const __MINHBACH_ROOT_SIGNING_KEY__: string;
declare const __MINHBACH_ROOT_KEY_FINGERPRINT__: string;

export const ROOT_SIGNING_KEY_B64: string = __MINHBACH_ROOT_SIGNING_KEY__;
/** fingerprint() of that key (BLAKE2b-160, groups of 4 hex digits), computed at build time. */
export const ROOT_KEY_FINGERPRINT: string = __MINHBACH_ROOT_KEY_FINGERPRINT__;

/**
 * Whether the server's announced root key (GET /api/meta) is the one built into this app.
 * A mismatch means the server, or the page, is not the deployment it claims to be.
 */
export function rootKeyMatches(announced: string | null): boolean | null {
  return announced === null ? null : announced === ROOT_KEY_FINGERPRINT;
}
