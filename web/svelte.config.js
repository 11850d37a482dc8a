import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodeAdapter from '@sveltejs/adapter-node';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * adapter-node reads ./package.json from the working directory to decide which packages
 * stay external; web/ has none (the repo has one package.json), so run the adapter from
 * the repo root: the root's production dependencies stay external, the rest is bundled.
 * Every path it gets from SvelteKit is absolute, and `out` is made absolute here.
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter() {
  const inner = nodeAdapter({ out: `${webDir}build` });
  return {
    ...inner,
    async adapt(builder) {
      const cwd = process.cwd();
      process.chdir(repoRoot);
      try {
        await inner.adapt(builder);
      } finally {
        process.chdir(cwd);
      }
      // Records which root signing key this build embeds (set by vite.config.ts), so a start
      // can tell when the deployment's key differs and rebuild (scripts/web-build.ts).
      const embedded = process.env.MINHBACH_EMBEDDED_ROOT_KEY;
      if (embedded) writeFileSync(`${webDir}build/root-signing-key.txt`, `${embedded}\n`);
    },
  };
}

// The one inline style SvelteKit renders itself: the route announcer in its generated
// root component. Allowing exactly this attribute value by hash keeps style-src free of
// 'unsafe-inline'. If a SvelteKit upgrade changes the string, the e2e test that watches
// for CSP violations fails, and app.css still hides the announcer meanwhile.
const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    adapter: adapter(),
    alias: {
      // The pure shared modules (no I/O, no Node-only imports); nothing else of the
      // server may reach the browser bundle.
      $domain: '../server/domain',
      $crypto: '../server/crypto',
      // TypeBox schemas of the public API (pure, browser-safe): the contract with the server.
      $schemas: '../server/schemas',
    },
    csp: {
      // Hashes rather than nonces: SvelteKit hashes the inline bootstrap script itself.
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        // libsodium runs as WebAssembly; this allows compiling it, not eval of JS.
        'script-src': ['self', 'wasm-unsafe-eval'],
        'style-src': ['self'],
        'style-src-attr': ['unsafe-hashes', ANNOUNCER_STYLE_HASH],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'frame-ancestors': ['none'],
        'form-action': ['self'],
        'base-uri': ['none'],
        'object-src': ['none'],
        // No upgrade-insecure-requests: the onion address is served over plain http.
      },
    },
  },
};

export default config;
