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
  const db = drizzle({ client: preparing(sql), schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}

type Client = postgres.Sql | postgres.TransactionSql;
type Callback = (sql: postgres.TransactionSql) => unknown;

/**
 * The client as drizzle should use it: every query with parameters as a prepared statement.
 * Drizzle asks postgres.js to prepare only queries built with .prepare(name), so every other
 * query was parsed and planned by Postgres and described to postgres.js on each run. Prepared,
 * a connection keeps each query text's statement (keyed by text and parameter types) for its
 * life: measured on this machine, about half the Postgres CPU and a third of the Node CPU per
 * query. Queries without parameters (DDL, fixed reads) still go as simple queries.
 */
function preparing<T extends Client>(client: T, scope?: { ended: boolean }): T {
  const wrapCallback = (args: unknown[]): unknown[] => {
    const cb = args.at(-1);
    if (typeof cb !== 'function') return args;
    return [...args.slice(0, -1), async (tx: postgres.TransactionSql) => {
      const inner = { ended: false };
      try {
        return await (cb as Callback)(preparing(tx, inner));
      } finally {
        inner.ended = true;
      }
    }];
  };
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop === 'unsafe') {
        return (query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
          // postgres.js would send a query made through a finished transaction's handle on the
          // bare connection, outside any transaction (or inside the next user's): a branch of
          // a Promise.all still running after a sibling failed and the transaction rolled back.
          if (scope?.ended) throw new Error('query on a transaction that has already ended');
          return target.unsafe(query, args, { ...options, prepare: (args?.length ?? 0) > 0 });
        };
      }
      if ((prop === 'begin' || prop === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, wrapCallback(args));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
