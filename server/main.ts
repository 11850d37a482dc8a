// Entry: load config → migrate → build the app → listen; close gracefully on signals.
import { loadConfigOrExit } from './config.ts';
import { runMigrations } from './db/migrate.ts';
import { buildApp } from './app.ts';

const config = loadConfigOrExit();
await runMigrations(config.databaseUrl);
const app = await buildApp({ config, serveWeb: true });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}

await app.listen({ host: config.host, port: config.port });
