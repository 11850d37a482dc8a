import { customType } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';

/** bytea as Uint8Array: ciphertexts, public keys and hashes. postgres.js hands back Buffers. */
export const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
  fromDriver: (v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
});

/** A CHECK that a text column holds one of a closed set (the sets live in server/domain). */
export function inList(column: SQL | string, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  return sql.raw(`${typeof column === 'string' ? `"${column}"` : ''} IN (${list})`);
}
