// Queries built once per process and run on any connection or transaction. Drizzle turns a
// query builder into SQL text on every run, a walk over its parts with a class check at each
// step; on the workflow's hot path that cost more Node CPU than the driver and the socket
// together. A reusable query is built the first time it runs, with placeholders for what
// changes, and afterwards only its parameters are filled in.
import { is, sql, SQL } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

type Prepared<R> = { execute(values?: Record<string, unknown>): Promise<R> };
type Session = { client: unknown };

/**
 * `build` receives a database or transaction and returns its query `.prepare(name)`d, with
 * `sql.placeholder(key)` where a value goes. What `build` closes over is fixed at the first
 * run: only placeholders may vary between runs.
 */
export function reusable<V extends Record<string, unknown>, R>(build: (db: DbOrTx) => Prepared<R>): (db: DbOrTx, values: V) => Promise<R> {
  let template: Prepared<R> | undefined;
  return (db, values) => {
    template ??= build(db);
    // The prepared query keeps the client it was built on; this run's copy uses the caller's
    // (drizzle's postgres-js session: `client` is its only per-connection field).
    const query = Object.create(template) as Prepared<R> & Session;
    query.client = (db as unknown as { _: { session: Session } })._.session.client;
    return query.execute(values);
  };
}

/**
 * A placeholder where drizzle's types want a column value (an update's `set`). At run time
 * drizzle wraps it in a parameter with the column's encoder, so the value filled in is encoded
 * as a literal of that column would be (a Date as a timestamp). Unlike a literal, a null goes
 * through the encoder too: keep it to columns whose encoder passes null through (text, uuid,
 * enums, numbers, booleans), not nullable timestamps or jsonb. reusableInsert handles nulls.
 */
export function columnPlaceholder<T>(name: string): T {
  return sql.placeholder(name) as unknown as T;
}

type InsertBuilder<R> = { prepare(name: string): Prepared<R> };

// Statement shapes kept per insert; past this, a rarely seen shape is built as usual.
const MAX_SHAPES = 64;
const sqlIds = new WeakMap<object, number>();
let nextSqlId = 0;

/**
 * An insert of rows whose values change while their shape (row count, keys, which values are
 * null or SQL) repeats: one reusable statement per shape. `build` gets rows whose values are
 * placeholders (null and SQL values stay as they are) and returns the insert builder.
 */
export function reusableInsert<Row extends object, R>(
  name: string,
  build: (db: DbOrTx, rows: Row[]) => InsertBuilder<R>,
): (db: DbOrTx, rows: readonly Row[]) => Promise<R> {
  const shapes = new Map<string, (db: DbOrTx, values: Record<string, unknown>) => Promise<R>>();
  return (db, rows) => {
    const values: Record<string, unknown> = {};
    const templateRows: Array<Record<string, unknown>> = [];
    let shape = '';
    rows.forEach((row, i) => {
      const template: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        // Drizzle writes DEFAULT for an undefined value and encodes no null: both are shape.
        if (value === undefined) continue;
        if (value === null) {
          template[key] = null;
          shape += `${key}=null,`;
        } else if (is(value, SQL)) {
          template[key] = value;
          shape += `${key}=sql${sqlIdOf(value)},`;
        } else {
          const slot = `r${i}_${key}`;
          template[key] = sql.placeholder(slot);
          values[slot] = value;
          shape += `${key},`;
        }
      }
      templateRows.push(template);
      shape += '|';
    });
    let run = shapes.get(shape);
    if (!run) {
      if (shapes.size >= MAX_SHAPES) return build(db, [...rows]).prepare(name).execute();
      run = reusable((first) => build(first, templateRows as Row[]).prepare(name));
      shapes.set(shape, run);
    }
    return run(db, values);
  };
}

function sqlIdOf(value: object): number {
  let id = sqlIds.get(value);
  if (id === undefined) {
    id = nextSqlId++;
    sqlIds.set(value, id);
  }
  return id;
}
