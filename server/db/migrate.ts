import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { databaseName } from '../config.ts';
import { createDatabase } from './client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle/migrations', import.meta.url));

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const rows = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) {
      // Identifiers cannot be bound as parameters; the name comes from configuration, quoted here.
      await admin.unsafe(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created concurrently by another process
      });
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export async function runMigrations(url: string): Promise<void> {
  await ensureDatabase(url);
  const database = createDatabase(url, { max: 1, applicationName: 'minhbach-migrate' });
  try {
    // One migrator at a time when several processes start together.
    await database.sql`SELECT pg_advisory_lock(7262001)`;
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
    await database.sql`SELECT pg_advisory_unlock(7262001)`;
  } finally {
    await database.close();
  }
}
