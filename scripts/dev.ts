// `npm run dev`: the API and the workers with reload on change, and Vite's dev server for
// the pages (http://127.0.0.1:5173, proxying /api to the API on PORT).
import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfigOrExit } from '../server/config.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { prepareDeployment } from './prepare.ts';

const config = loadConfigOrExit();
const say = (line: string) => process.stdout.write(`[minhbach:dev] ${line}\n`);
await runMigrations(config.databaseUrl);
await prepareDeployment(config, say);

const children: ChildProcess[] = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], { stdio: 'inherit', env: { ...process.env, WEB_DIR: '/nonexistent' } }),
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'workers/main.ts'], { stdio: 'inherit' }),
  spawn('npx', ['vite', 'dev', '--host', '127.0.0.1'], {
    cwd: 'web', stdio: 'inherit', env: { ...process.env, API_PROXY_TARGET: `http://127.0.0.1:${config.port}` },
  }),
];
const stop = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
for (const c of children) c.on('exit', () => { stop(); });
say(`API on http://127.0.0.1:${config.port}/api, pages on http://127.0.0.1:5173/`);
