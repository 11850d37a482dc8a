import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from '../../drizzle/schema/index.ts';

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
/** A transaction handle; repositories take `Db | Tx` so services decide the boundary. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  sql: postgres.Sql;
  db: Db;
  close: () => Promise<void>;
};

export type DatabaseOptions = { max?: number; applicationName?: string };

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 5,
    // Notices (e.g. "relation already exists, skipping") are not errors; keep logs clean.
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'minhbach' },
  });
  const db = drizzle({ client: sql, schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}
