import { describe, expect, it } from 'vitest';
import { initCrypto, toBase64Url } from '../../../server/crypto/index.ts';
import { DEMO_ROOT_PUBLIC_KEY_B64, demoRootKeyPair } from '../../../server/demo/demo-root.ts';

describe('demo root key', () => {
  it('embeds the public key that the published demo seed produces', async () => {
    await initCrypto();
    expect(toBase64Url(demoRootKeyPair().publicKey)).toBe(DEMO_ROOT_PUBLIC_KEY_B64);
  });
});
