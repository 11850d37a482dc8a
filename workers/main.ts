// Entry: load config → migrate → start the workers, relay and reconciler; close gracefully
// on SIGTERM/SIGINT (Worker.close lets the jobs in hand finish).
import { loadConfigOrExit } from '../server/config.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { createWorkerLogger } from './logger.ts';
import { jobs, reconcileSteps } from './registry.ts';
import { startWorkers } from './runtime.ts';

const config = loadConfigOrExit();
const log = createWorkerLogger(config);
await runMigrations(config.databaseUrl);
const runtime = await startWorkers({ config, jobs, log, reconcileSteps });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'closing');
    // A job that outlives this is retried elsewhere: its lock expires and it is stalled back.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    runtime.close().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'close failed');
      process.exit(1);
    });
  });
}
