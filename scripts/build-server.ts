// Compiles a server entry (the API's server/main.ts, a benchmark's server) into one ES module
// under dist/, so the process runs on plain Node. The tsx loader costs the API process about
// 35 MiB for itself (its loader thread and esbuild's) and as much again for the compiled
// sources it keeps; bundling takes well under a second, so `npm start` simply does it
// every time and a stale bundle cannot exist. npm packages stay in node_modules.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `entry` (relative to the repository root, e.g. `server/main.ts`) and returns the output file. */
export async function buildServer(entry: string): Promise<string> {
  const relative = path.relative(ROOT, path.resolve(ROOT, entry));
  // Paths made from import.meta.url (the migrations folder) resolve from the bundle's place, so
  // it keeps the entry's depth: server/main.ts → dist/server/main.mjs, one folder below dist/.
  if (relative.split(path.sep).length !== 2) throw new Error(`buildServer: ${entry} must sit one folder below the repository root`);
  const outfile = path.join(ROOT, 'dist', relative.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(ROOT, relative)],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}
