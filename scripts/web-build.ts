// Builds the SvelteKit app when its output is missing, older than its sources, or built
// for another root signing key than this deployment's.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ROOT_PUBLIC_KEY_B64 } from '../server/demo/demo-root.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = path.join(ROOT, 'web/build/handler.js');
/** Which root public key the build embeds: written by the build (web/vite.config.ts, web/svelte.config.js). */
const ROOT_KEY_MARKER = path.join(ROOT, 'web/build/root-signing-key.txt');
const SOURCES = ['web/src', 'web/messages', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'web/project.inlang', 'server/domain', 'server/crypto', 'package-lock.json'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) {
    // The generated message modules change on every build; they are outputs, not sources.
    if (name === 'paraglide' || name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/** The root public key a build should embed: the deployment's, else the build env's, else the demo's. */
export function expectedRootKey(deploymentRootKey?: string): string {
  return deploymentRootKey ?? process.env['PUBLIC_ROOT_SIGNING_KEY'] ?? DEMO_ROOT_PUBLIC_KEY_B64;
}

export function embeddedRootKey(): string | null {
  return existsSync(ROOT_KEY_MARKER) ? readFileSync(ROOT_KEY_MARKER, 'utf8').trim() : null;
}

export function isWebBuildStale(rootKey = expectedRootKey()): boolean {
  if (!existsSync(OUTPUT)) return true;
  // A build embedding another root key would refuse every body key of this deployment.
  if (embeddedRootKey() !== rootKey) return true;
  const built = statSync(OUTPUT).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(ROOT, s)) > built);
}

/** `deploymentRootKey`: base64url of the root public key stored in the deployment's database. */
export async function ensureWebBuild(say: (line: string) => void, deploymentRootKey?: string): Promise<void> {
  const rootKey = expectedRootKey(deploymentRootKey);
  if (!isWebBuildStale(rootKey)) {
    say('web build is up to date');
    return;
  }
  const embedded = embeddedRootKey();
  if (existsSync(OUTPUT) && embedded !== rootKey) say('the web build embeds another root signing key: rebuilding for this deployment…');
  else say('building the web app (first start takes about a minute)…');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:web'], {
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, PUBLIC_ROOT_SIGNING_KEY: rootKey },
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`web build failed (exit ${code})`))));
  });
  // The build writes the marker itself (svelte.config.js); a build that embeds another key is a bug.
  if (embeddedRootKey() !== rootKey) throw new Error('the web build does not embed the expected root signing key');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await ensureWebBuild((l) => process.stdout.write(`${l}\n`));
}
