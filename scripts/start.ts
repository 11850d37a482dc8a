// `npm start`: migrate, build the web app when missing or stale, load the demo data on an
// empty database (demo mode), then run the API (with the pages) and the workers as one
// process group. If either child dies, the other is stopped and the group exits. The API runs
// compiled (scripts/build-server.ts) with the flags of scripts/api-node-flags.ts; the
// benchmarks run it the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfigOrExit } from '../server/config.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { ensureWebBuild } from './web-build.ts';
import { createDatabase } from '../server/db/client.ts';
import { getDeployment } from '../server/repositories/deployment.repository.ts';
import { prepareDeployment, StartError } from './prepare.ts';
import { buildServer } from './build-server.ts';
import { API_NODE_FLAGS } from './api-node-flags.ts';

const config = loadConfigOrExit();
const say = (line: string) => process.stdout.write(`[minhbach] ${line}\n`);

/** The root public key this deployment's database holds: the web build must embed exactly it. */
async function deploymentRootKey(): Promise<string | undefined> {
  const database = createDatabase(config.databaseUrl, { max: 1, applicationName: 'minhbach-start' });
  try {
    const deployment = await getDeployment(database.db);
    return deployment ? Buffer.from(deployment.rootSignPublicKey).toString('base64url') : undefined;
  } finally {
    await database.close();
  }
}

say(`mode: ${config.mode}`);
let apiBundle: string;
try {
  say('applying database migrations…');
  await runMigrations(config.databaseUrl);
  await prepareDeployment(config, say);
  await ensureWebBuild(say, await deploymentRootKey());
  apiBundle = await buildServer('server/main.ts');
} catch (err) {
  // Known refusals get one clear line; anything else is a real failure with its stack.
  if (err instanceof StartError) {
    process.stderr.write(`[minhbach] cannot start: ${err.message}\n`);
    process.exit(78);
  }
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED') {
    process.stderr.write('[minhbach] cannot start: PostgreSQL does not answer at DATABASE_URL (is it running?)\n');
    process.exit(69);
  }
  throw err;
}

const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} stopped (${signal ?? code}); stopping the rest`);
      stop(code === 0 ? 1 : (code ?? 1));
    }
  });
  children.push(child);
  return child;
}

function stop(exitCode: number): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(exitCode);
  }, 12_000);
  force.unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)))))
    .then(() => process.exit(exitCode));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(0));

run('api', [...API_NODE_FLAGS, apiBundle]);
run('workers', ['--import', 'tsx', 'workers/main.ts']);
say(`portal starting on ${config.publicOrigin}/ (readiness: ${config.publicOrigin}/api/ready)`);
