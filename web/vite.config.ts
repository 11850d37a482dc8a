import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';
import { DEMO_ROOT_PUBLIC_KEY_B64 } from '../server/demo/demo-root.ts';
import { fingerprint, fromBase64Url, initCrypto } from '../server/crypto/index.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Where the Fastify API listens during development. Read here only.
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:3000';
// Server-side loads reach the API through handleFetch (hooks.server.ts), which reads
// API_ORIGIN; in dev it follows the proxy target unless set explicitly.
process.env.API_ORIGIN ??= apiTarget;

// The root signing public key is embedded in the build: the browser verifies every body
// key against it. Production sets PUBLIC_ROOT_SIGNING_KEY (base64url) at build time.
const rootSigningKey = process.env.PUBLIC_ROOT_SIGNING_KEY ?? DEMO_ROOT_PUBLIC_KEY_B64;
if (!/^[A-Za-z0-9_-]{43}$/.test(rootSigningKey)) {
  throw new Error('PUBLIC_ROOT_SIGNING_KEY must be the base64url Ed25519 root public key (43 characters)');
}
// Its fingerprint is computed here, so public pages can compare it with /api/meta's
// without loading libsodium.
await initCrypto();
const rootKeyFingerprint = fingerprint(fromBase64Url(rootSigningKey));
// Read by the adapter wrapper in svelte.config.js, which writes it next to the build.
process.env.MINHBACH_EMBEDDED_ROOT_KEY = rootSigningKey;

export default defineConfig({
  define: {
    __MINHBACH_ROOT_SIGNING_KEY__: JSON.stringify(rootSigningKey),
    __MINHBACH_ROOT_KEY_FINGERPRINT__: JSON.stringify(rootKeyFingerprint),
  },
  plugins: [
    paraglideVitePlugin({
      project: here('./project.inlang'),
      outdir: here('./src/lib/paraglide'),
      // URL only: Vietnamese at the root, English under /en. No cookie, no
      // localStorage, no Accept-Language guess: anonymous citizens carry no state.
      strategy: ['url', 'baseLocale'],
      trailingSlash: 'never',
    }),
    sveltekit(),
  ],
  ssr: {
    // The repo root hoists cookie@2 (for @fastify/cookie), whose API SvelteKit's runtime
    // does not use; bundling makes Vite resolve SvelteKit's own nested cookie@0.6.
    noExternal: ['cookie'],
  },
  server: {
    proxy: {
      // xfwd stays off so the API never learns the client's address in dev either.
      '/api': { target: apiTarget, changeOrigin: false, xfwd: false },
    },
    fs: {
      // Only what the app needs; the repo root also holds .env and data/.
      allow: [here('.'), here('../server/domain'), here('../server/crypto'), here('../server/schemas'), here('../server/demo/demo-root.ts'), here('../node_modules')],
    },
  },
});
