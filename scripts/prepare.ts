// Decides what a start does with the database: load the demo on an empty one (demo mode),
// or refuse to mix a demo database with a production configuration and vice versa.
import path from 'node:path';
import type { Config } from '../server/config.ts';
import { createDatabase } from '../server/db/client.ts';
import { getDeployment } from '../server/repositories/deployment.repository.ts';
import { seedDemo } from '../server/demo/seed.ts';

export async function prepareDeployment(config: Config, say: (line: string) => void): Promise<void> {
  const database = createDatabase(config.databaseUrl, { max: 2, applicationName: 'minhbach-start' });
  try {
    // One starter at a time decides whether to seed.
    await database.sql`SELECT pg_advisory_lock(7262002)`;
    const deployment = await getDeployment(database.db);
    if (config.mode === 'production') {
      if (!deployment) {
        throw new StartError('this database has no deployment yet: run `npm run admin -- init` first (production never loads demo data)');
      }
      if (deployment.mode === 'demo') {
        throw new StartError('APP_MODE=production but this database holds the demo deployment; point DATABASE_URL at the production database');
      }
      return;
    }
    if (deployment && deployment.mode === 'production') {
      throw new StartError('this database holds a production deployment; demo mode refuses to run on it (set APP_MODE=production)');
    }
    if (!deployment) {
      say('empty database: loading the demo deployment (bodies, staff, cadres, personnel actions)…');
      const started = Date.now();
      const result = await seedDemo(database.db, { rootKeyFile: path.join(config.dataDir, 'demo-root-signing.key'), serverSecretFile: config.serverSecretFile });
      say(`demo loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.bodies} bodies, ${result.staff} staff, ${result.cadres} cadres`);
    }
  } finally {
    await database.sql`SELECT pg_advisory_unlock(7262002)`.catch(() => {});
    await database.close();
  }
}

export class StartError extends Error {}
