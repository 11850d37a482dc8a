import { loadConfigOrExit } from '../config.ts';
import { runMigrations } from './migrate.ts';

const config = loadConfigOrExit();
await runMigrations(config.databaseUrl);
process.stdout.write('migrations applied\n');
