// The deployment's root signing public key, embedded at build time (web/vite.config.ts).
// Body public keys from the key directory are trusted only when this key signed them.
declare const __MINHBACH_ROOT_SIGNING_KEY__: string;

export const ROOT_SIGNING_KEY_B64: string = __MINHBACH_ROOT_SIGNING_KEY__;
