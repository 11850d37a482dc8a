// Fails when the Drizzle schema and the committed migrations drift apart: generating
// from the schema into a copy of the migrations must produce nothing new.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

// drizzle-kit only accepts an output folder relative to the working directory.
const dir = `node_modules/.cache/minhbach-drift-${process.pid}`;
mkdirSync(dir, { recursive: true });
try {
  cpSync('drizzle/migrations', dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  execFileSync('npx', ['drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', './drizzle/schema/index.ts', '--out', dir, '--name', 'drift'], { stdio: 'pipe' });
  if (!existsSync(`${dir}/meta/_journal.json`)) throw new Error('drift check could not copy the migrations');
  const added = readdirSync(dir).filter((f) => !before.has(f));
  if (added.length > 0) {
    console.error(`The schema changed without a migration: run npm run db:generate (would add ${added.join(', ')})`);
    process.exit(1);
  }
  console.log('migrations match the schema');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
