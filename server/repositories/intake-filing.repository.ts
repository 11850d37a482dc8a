// A web filing written as ONE statement: the case, its envelopes, key wraps, upload slots,
// and (when complete) its routed bodies, submit event, outbox row and audit entry.
//
// Why one statement: on a small machine each statement costs far more in query building and
// socket writes than in Postgres. Data-modifying CTEs run as one atomic statement (foreign
// keys are checked at its end), so no transaction and no BEGIN/COMMIT round trips. The audit
// head, which every audited transaction in the system waits for, is locked by audit_append
// only after the other rows are written: a CTE that nothing reads runs after the main query,
// so the audit subquery reads each child's count first. The text is built with numbered
// parameters and prepared by postgres.js, one prepared statement per shape.
import type postgres from 'postgres';
import type { AppendAuditInput } from './audit.repository.ts';
import { checkDedupeKey } from './outbox.repository.ts';

type Param = string | number | boolean | Uint8Array | null;

/** Collects parameters and hands out `$n::type` placeholders. */
class Params {
  readonly values: Param[] = [];
  add(value: Param, type: string): string {
    this.values.push(value);
    // JSON goes as text: postgres.js would JSON-encode a string once more for a jsonb parameter.
    return type === 'jsonb' ? `$${this.values.length}::text::jsonb` : `$${this.values.length}::${type}`;
  }
  row(cells: ReadonlyArray<readonly [Param, string]>): string {
    return `(${cells.map(([v, t]) => this.add(v, t)).join(', ')})`;
  }
}

export type FilingCase = {
  id: string; publicRef: string; category: string; jurisdictionCode: string; cadreId: string | null; noticeActionId: string | null;
  channel: string; language: string; isAnonymous: boolean; lookupTokenHash: Uint8Array; reporterPublicKey: Uint8Array;
  receivedOn: string; at: Date; routingFlagged: boolean; pendingUntil: Date | null;
};

export type Filing = {
  case: FilingCase;
  /** Body key versions the wraps were sealed to: all must still be current and signed. */
  keys: ReadonlyArray<{ bodyId: string; version: number }>;
  envelopes: ReadonlyArray<{ part: 'report' | 'identity'; ciphertext: Uint8Array }>;
  wraps: ReadonlyArray<{ keyKind: string; recipientKind: string; bodyId: string | null; bodyKeyVersion: number | null; sealedKey: Uint8Array }>;
  attachments: ReadonlyArray<{ blobKey: string; declaredBytes: number; expiresAt: Date; uploadTokenHash: Uint8Array | null }>;
  /** Only for a complete filing. */
  caseBodies: ReadonlyArray<{ bodyId: string; role: string; reason: string }>;
  events: ReadonlyArray<{ kind: string; toState: string; isPublic: boolean; dedupeKey: string; detail: Record<string, unknown> }>;
  /**
   * availableAt null: at once, recorded as the filing's day like every public time.
   * dispatched: the writer puts the row's job in Redis itself after commit (writeFilingAndDispatch).
   */
  outbox: ReadonlyArray<{ topic: string; dedupeKey: string; payload: Record<string, unknown>; availableAt: Date | null; dispatched?: boolean }>;
  audit: AppendAuditInput | null;
};

/** An outbox row written dispatched, with its id: what its job carries. */
export type DispatchedRow = { id: number; topic: string; dedupeKey: string; payload: Record<string, unknown> };

export type FilingResult =
  | { ok: true; attachmentIds: string[]; dispatched: DispatchedRow[] }
  /** A body key was replaced since the routing snapshot: nothing was written. */
  | { ok: false; reason: 'key_replaced' };

function buildFilingStatement(f: Filing): { text: string; params: Param[] } {
  const p = new Params();
  const c = f.case;
  const ctes: string[] = [];
  ctes.push(f.keys.length === 0 ? 'keys AS (SELECT 0::bigint AS n)' : `keys AS (
    SELECT count(*) AS n FROM body_keys
    WHERE retired_at IS NULL AND signature IS NOT NULL
      AND (body_id, version) IN (${f.keys.map((k) => p.row([[k.bodyId, 'uuid'], [k.version, 'int']])).join(', ')}))`);
  const at = p.add(c.at.toISOString(), 'timestamptz');
  ctes.push(`c AS (
    INSERT INTO cases (id, public_ref, category, jurisdiction_code, cadre_id, notice_action_id, channel, language, is_anonymous,
      lookup_token_hash, reporter_public_key, received_on, updated_at, routing_flagged, pending_until)
    SELECT ${[
      p.add(c.id, 'uuid'), p.add(c.publicRef, 'text'), p.add(c.category, 'text'), p.add(c.jurisdictionCode, 'text'),
      p.add(c.cadreId, 'uuid'), p.add(c.noticeActionId, 'uuid'), p.add(c.channel, 'text'), p.add(c.language, 'text'),
      p.add(c.isAnonymous, 'boolean'), p.add(c.lookupTokenHash, 'bytea'), p.add(c.reporterPublicKey, 'bytea'),
      p.add(c.receivedOn, 'date'), at, p.add(c.routingFlagged, 'boolean'), p.add(c.pendingUntil?.toISOString() ?? null, 'timestamptz'),
    ].join(', ')}
    FROM keys WHERE keys.n = ${p.add(f.keys.length, 'bigint')}
    RETURNING id)`);
  // Every child selects FROM c: when the key check refused the case, nothing else is written.
  // `select` is a function so that a skipped child adds no parameter (an unused one has no type).
  // Every write but the case's own, by CTE name: the audit entry waits for them (below).
  const written: string[] = [];
  const child = (name: string, table: string, columns: string, rows: string[], select: () => string, returning = 'RETURNING 1'): void => {
    if (rows.length === 0) return;
    ctes.push(`${name} AS (INSERT INTO ${table} (case_id, ${columns}) SELECT c.id, ${select()} FROM c, (VALUES ${rows.join(', ')}) AS v ${returning})`);
    written.push(name);
  };
  child('e', 'case_envelopes', 'part, format_version, ciphertext, created_at',
    f.envelopes.map((e) => p.row([[e.part, 'text'], [e.ciphertext, 'bytea']])), () => `v.column1, 1, v.column2, ${at}`);
  child('w', 'case_key_wraps', 'key_kind, recipient_kind, body_id, body_key_version, sealed_key, created_at',
    f.wraps.map((w) => p.row([[w.keyKind, 'text'], [w.recipientKind, 'text'], [w.bodyId, 'uuid'], [w.bodyKeyVersion, 'int'], [w.sealedKey, 'bytea']])),
    () => `v.column1, v.column2, v.column3, v.column4, v.column5, ${at}`);
  child('a', 'attachments', 'blob_key, declared_bytes, uploaded_by, expires_at, created_on, upload_token_hash',
    f.attachments.map((a) => p.row([[a.blobKey, 'text'], [a.declaredBytes, 'bigint'], [a.expiresAt.toISOString(), 'timestamptz'], [a.uploadTokenHash, 'bytea']])),
    () => `v.column1, v.column2, 'reporter', v.column3, ${p.add(c.receivedOn, 'date')}, v.column4`,
    'RETURNING id, blob_key');
  child('b', 'case_bodies', 'body_id, role, reason, created_at',
    f.caseBodies.map((b) => p.row([[b.bodyId, 'uuid'], [b.role, 'text'], [b.reason, 'text']])), () => `v.column1, v.column2, v.column3, ${at}`);
  child('ev', 'case_events', 'kind, from_state, to_state, actor_kind, is_public, dedupe_key, detail, occurred_on, created_at',
    f.events.map((e) => p.row([[e.kind, 'text'], [e.toState, 'text'], [e.isPublic, 'boolean'], [e.dedupeKey, 'text'], [JSON.stringify(e.detail), 'jsonb']])),
    () => `v.column1, NULL, v.column2, 'reporter', v.column3, v.column4, v.column5, ${p.add(c.receivedOn, 'date')}, ${at}`);
  if (f.outbox.length > 0) {
    for (const o of f.outbox) checkDedupeKey(o.dedupeKey);
    const rows = f.outbox.map((o) => p.row([
      [o.topic, 'text'], [o.dedupeKey, 'text'], [JSON.stringify(o.payload), 'jsonb'], [o.availableAt?.toISOString() ?? null, 'timestamptz'],
      [o.dispatched === true, 'boolean'],
    ]));
    ctes.push(`o AS (INSERT INTO outbox (topic, dedupe_key, payload, available_at, dispatched_at)
      SELECT v.column1, v.column2, v.column3, coalesce(v.column4, ${at}), CASE WHEN v.column5 THEN ${at} END FROM c, (VALUES ${rows.join(', ')}) AS v
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key, dispatched_at IS NOT NULL AS dispatched)`);
    written.push('o');
  }
  const a = f.audit;
  const audit = a === null ? 'NULL' : `(SELECT audit_append(${[
    p.add(a.at.toISOString(), 'timestamptz'), p.add(a.actorKind, 'text'), p.add(a.actorId, 'uuid'), p.add(a.action, 'text'),
    p.add(a.resourceKind, 'text'), p.add(a.resourceId, 'text'), p.add(JSON.stringify(a.detail), 'jsonb'),
  ].join(', ')}) FROM c${written.length === 0 ? '' : ` WHERE ${written.map((n) => `(SELECT count(*) FROM ${n})`).join(' + ')} >= 0`})`;
  const attachmentIds = f.attachments.length === 0 ? `'[]'::json` : '(SELECT json_agg(json_build_array(id, blob_key)) FROM a)';
  const dispatchedIds = f.outbox.some((o) => o.dispatched) ? '(SELECT json_agg(json_build_array(id, dedupe_key)) FROM o WHERE dispatched)' : `'[]'::json`;
  return {
    text: `WITH ${ctes.join(',\n')}
SELECT (SELECT count(*) FROM c)::int AS inserted, ${attachmentIds} AS attachment_ids, ${dispatchedIds} AS dispatched_ids, ${audit} AS audit_id`,
    params: p.values,
  };
}

/**
 * Writes the filing or nothing. A taken reference or receipt raises the unique violation that
 * takenBy() reads; a replaced body key answers { ok: false }.
 */
export async function writeFiling(sql: postgres.Sql, f: Filing): Promise<FilingResult> {
  const { text, params } = buildFilingStatement(f);
  const rows = await sql.unsafe<Array<{ inserted: number; attachment_ids: Array<[string, string]> | null; dispatched_ids: Array<[number, string]> | null }>>(
    text, params as postgres.ParameterOrJSON<never>[], { prepare: true },
  );
  const row = rows[0];
  if (!row || row.inserted !== 1) return { ok: false, reason: 'key_replaced' };
  // RETURNING order is not promised: map the ids back to the slots by their blob keys.
  const idByBlob = new Map((row.attachment_ids ?? []).map(([id, blobKey]) => [blobKey, id]));
  // A row that already existed (ON CONFLICT) is not this filing's to dispatch.
  const idByKey = new Map((row.dispatched_ids ?? []).map(([id, dedupeKey]) => [dedupeKey, Number(id)]));
  const dispatched = f.outbox.flatMap((o) => {
    const id = idByKey.get(o.dedupeKey);
    return id === undefined ? [] : [{ id, topic: o.topic, dedupeKey: o.dedupeKey, payload: o.payload }];
  });
  return { ok: true, attachmentIds: f.attachments.map((a) => idByBlob.get(a.blobKey) ?? ''), dispatched };
}
