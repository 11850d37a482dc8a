// DEMO ONLY. The demo deployment's root signing key comes from this published seed, so
// every demo build can embed the demo root public key without a per-machine build step.
// A production deployment creates its root key with `npm run admin -- init` and embeds
// its public half at build time (PUBLIC_ROOT_SIGNING_KEY); this seed never signs anything real.
import { signingKeyPairFromSeed, fromHex, type SigningKeyPair } from '../crypto/index.ts';

export const DEMO_ROOT_SEED_HEX = '6d696e68626163682d64656d6f2d726f6f742d7369676e696e672d6b65792121';

/** base64url of the demo root public key; test/unit/demo/demo-root.test.ts checks it matches the seed. */
export const DEMO_ROOT_PUBLIC_KEY_B64 = 'RM9vFeZdDoiWiqh4mtZHQW_xdIbqEH4ipa3bzmCFAoA';

export function demoRootKeyPair(): SigningKeyPair {
  return signingKeyPairFromSeed(fromHex(DEMO_ROOT_SEED_HEX));
}
