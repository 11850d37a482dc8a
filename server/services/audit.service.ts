// The append-only, hash-chained audit log. Each entry's hash covers a canonical encoding
// of the entry and the previous entry's hash, so editing, deleting or reordering any entry
// breaks verification from that entry on.
import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/client.ts';
import type { ActorKind } from '../domain/vocabulary.ts';
import { appendAuditRow, appendAuditRows, readAuditHead, readAuditPage, type AppendAuditInput, type AuditRow } from '../repositories/audit.repository.ts';

export type AuditEntry = {
  actorKind: ActorKind;
  actorId?: string | null;
  action: string;
  resourceKind?: string | null;
  resourceId?: string | null;
  /** Ids, codes and counts only: never report content, names or network details. */
  detail?: Record<string, string | number | boolean | null | string[]>;
};

const ZERO_HASH = new Uint8Array(32);
const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;

/** Midnight in Vietnam (UTC+7, no DST), the same day boundary as cases.received_on. */
export const startOfVietnamDay = (ms: number): number => Math.floor((ms + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS;

/** JSON with keys sorted at every level: one byte string per entry, on any machine. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

type Hashable = Pick<AuditRow, 'id' | 'at' | 'actorKind' | 'actorId' | 'action' | 'resourceKind' | 'resourceId' | 'detail'>;

export function auditHash(prevHash: Uint8Array, row: Hashable): Uint8Array {
  const body = canonicalJson({
    v: 1,
    id: row.id,
    at: row.at.toISOString(),
    actorKind: row.actorKind,
    actorId: row.actorId ?? null,
    action: row.action,
    resourceKind: row.resourceKind ?? null,
    resourceId: row.resourceId ?? null,
    detail: row.detail ?? {},
  });
  return new Uint8Array(createHash('sha256').update(prevHash).update(body, 'utf8').digest());
}

/**
 * Appends inside the caller's transaction, so the entry commits or rolls back with the change.
 * The database hashes and links it (audit_append, format 2) in one statement; the chain head
 * stays locked until the caller commits, so call this last in a transaction.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await appendAudits(tx, [entry]);
}

// A transaction shared by several jobs (workers/transaction-group.ts) holds their entries and
// appends them once, after the last member's work: the chain head, locked from the append
// until commit, is then never held while a member still waits for a row or a round trip.
const heldAudits = new WeakMap<object, Array<{ entry: AuditEntry; at: number }>>();

/** From now on, this transaction's audit entries wait for appendHeldAudits. */
export function holdAudits(tx: DbOrTx): void {
  heldAudits.set(tx, []);
}

/** Appends the entries held since holdAudits, in the order they were written, in one statement. */
export async function appendHeldAudits(tx: DbOrTx): Promise<void> {
  const held = heldAudits.get(tx) ?? [];
  heldAudits.delete(tx);
  if (held.length > 0) await appendAuditRows(tx, held.map((h) => auditInput(h.entry, h.at)));
}

/**
 * Appends several entries in the order given, as the last write of the caller's transaction
 * (one statement however many; none when the list is empty).
 */
export async function appendAudits(tx: DbOrTx, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = Date.now();
  const held = heldAudits.get(tx);
  if (held) {
    held.push(...entries.map((entry) => ({ entry, at: now })));
    return;
  }
  const [only] = entries;
  if (entries.length === 1 && only) await appendAuditRow(tx, auditInput(only, now));
  else await appendAuditRows(tx, entries.map((e) => auditInput(e, now)));
}

/** The row audit_append() writes for an entry (also written by one-statement filings). */
export function auditInput(entry: AuditEntry, now = Date.now()): AppendAuditInput {
  return {
    // Reporter actions keep only the day, like received_on: an exact time could be matched
    // against a network log.
    at: new Date(entry.actorKind === 'reporter' ? startOfVietnamDay(now) : now),
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? null,
    action: entry.action,
    resourceKind: entry.resourceKind ?? null,
    resourceId: entry.resourceId ?? null,
    detail: entry.detail ?? {},
  };
}

/** The hash of a stored row: format 1 over canonical JSON, format 2 over the database's body text. */
function rowHash(prevHash: Uint8Array, row: AuditRow & { bodyV2: string | null }): Uint8Array {
  if (row.hashVersion === 1) return auditHash(prevHash, row);
  if (row.hashVersion === 2 && row.bodyV2 !== null) return new Uint8Array(createHash('sha256').update(prevHash).update(row.bodyV2, 'utf8').digest());
  // A version no writer uses: the row was altered.
  return ZERO_HASH;
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBrokenId: number; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'gap' | 'truncated' };

/** Walks the whole chain in pages; names the first entry that does not fit. */
export async function verifyAuditChain(db: DbOrTx, pageSize = 5000): Promise<ChainVerdict> {
  let prevHash: Uint8Array = ZERO_HASH;
  let expectedId = 1;
  let count = 0;
  for (;;) {
    const page = await readAuditPage(db, expectedId - 1, pageSize);
    for (const row of page) {
      if (row.id !== expectedId) return { ok: false, entries: count, firstBrokenId: expectedId, problem: 'gap' };
      if (Buffer.compare(row.prevHash, prevHash) !== 0) {
        return { ok: false, entries: count, firstBrokenId: row.id, problem: 'prev_hash_mismatch' };
      }
      const recomputed = rowHash(prevHash, row);
      if (Buffer.compare(recomputed, row.hash) !== 0) {
        return { ok: false, entries: count, firstBrokenId: row.id, problem: 'hash_mismatch' };
      }
      prevHash = row.hash;
      expectedId += 1;
      count += 1;
    }
    if (page.length < pageSize) break;
  }
  // Deleting the newest entries leaves a valid but shorter chain; the head remembers.
  const head = await readAuditHead(db);
  if (head.lastId !== expectedId - 1 || (count > 0 && Buffer.compare(head.lastHash, prevHash) !== 0)) {
    return { ok: false, entries: count, firstBrokenId: expectedId, problem: 'truncated' };
  }
  return { ok: true, entries: count };
}
