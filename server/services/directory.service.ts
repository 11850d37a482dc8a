// The cadre directory as personnel officers and administrators keep it: search without
// diacritics, single edits, and CSV import checked in full before one row is written.
import type { Db, DbOrTx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { parseCadreCsv, type CsvProblem } from '../domain/personnel.ts';
import type { Actor, DirectoryResource } from '../domain/policy.ts';
import { searchKey } from '../domain/text.ts';
import type { Level } from '../domain/vocabulary.ts';
import { listJurisdictions } from '../repositories/directory.repository.ts';
import { findCadre, insertCadres, lockCadre, searchDirectory, updateCadre, type CadreRecord } from '../repositories/personnel.repository.ts';
import { appendAudit } from './audit.service.ts';
import { decodeKeyset, encodeKeyset } from './personnel-cursor.ts';

export type CadreView = {
  id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string; level: Level; managingLevel: Level;
  managingJurisdictionCode: string; isPublic: boolean; clearedAt: string | null;
};

const toView = (c: CadreRecord): CadreView => ({
  id: c.id, fullName: c.fullName, position: c.position, unitName: c.unitName, jurisdictionCode: c.jurisdictionCode, level: c.level,
  managingLevel: c.managingLevel, managingJurisdictionCode: c.managingJurisdictionCode, isPublic: c.isPublic,
  clearedAt: c.clearedAt?.toISOString() ?? null,
});

/**
 * The policy resource: a cadre belongs to the desk of the jurisdiction that manages them.
 * Administrators keep the whole directory (the policy says so).
 */
export const directoryResourceOf = (actor: Actor, managingJurisdictionCode: string | null, cadreId: string | null): DirectoryResource => ({
  managingBodyId: managingJurisdictionCode === null || managingJurisdictionCode === actor.bodyJurisdiction ? actor.bodyId : `jurisdiction:${managingJurisdictionCode}`,
  cadreId,
});

export async function loadCadreResource(db: DbOrTx, actor: Actor, cadreId: string): Promise<DirectoryResource> {
  const cadre = await findCadre(db, cadreId);
  if (!cadre) throw new AppError('NOT_FOUND');
  return directoryResourceOf(actor, cadre.managingJurisdictionCode, cadre.id);
}

export async function searchCadreDirectory(db: DbOrTx, q: { q?: string | undefined; after?: string | undefined; limit: number }): Promise<{ items: CadreView[]; nextCursor: string | null }> {
  const after = decodeKeyset(q.after, () => true);
  const rows = await searchDirectory(db, { q: q.q ?? '', after: after ? { nameSearch: after.key, id: after.id } : null, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toView), nextCursor: rows.length > q.limit && last ? encodeKeyset(last.nameSearch, last.id) : null };
}

export type CadreInput = {
  fullName: string; position: string; unitName: string; jurisdictionCode: string; level: Level; managingLevel: Level;
  managingJurisdictionCode: string; isPublic?: boolean | undefined;
};

async function checkJurisdictions(db: DbOrTx, fields: Partial<Pick<CadreInput, 'jurisdictionCode' | 'managingJurisdictionCode'>>): Promise<void> {
  const known = new Set((await listJurisdictions(db)).map((j) => j.code));
  const bad = Object.entries(fields).filter(([, code]) => code !== undefined && !known.has(code)).map(([field]) => `/${field}`);
  if (bad.length > 0) throw new AppError('VALIDATION_FAILED', 'Unknown jurisdiction code: use a code from the jurisdictions list.', { fields: bad });
}

function mayManage(actor: Actor, managingJurisdictionCode: string): void {
  if (actor.role !== 'administrator' && managingJurisdictionCode !== actor.bodyJurisdiction) {
    throw new AppError('FORBIDDEN', 'Cadres managed at another jurisdiction are kept by that desk.', { reason: 'NOT_OWN_BODY' });
  }
}

export async function createCadre(db: Db, actor: Actor, input: CadreInput): Promise<CadreView> {
  mayManage(actor, input.managingJurisdictionCode);
  await checkJurisdictions(db, { jurisdictionCode: input.jurisdictionCode, managingJurisdictionCode: input.managingJurisdictionCode });
  const id = await db.transaction(async (tx) => {
    const [row] = await insertCadres(tx, [{ ...input, fullName: input.fullName.trim(), nameSearch: searchKey(input.fullName), isPublic: input.isPublic ?? true }]);
    if (!row) throw new AppError('INTERNAL');
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'cadre.created', resourceKind: 'cadre', resourceId: row.id });
    return row.id;
  });
  const created = await findCadre(db, id);
  if (!created) throw new AppError('INTERNAL');
  return toView(created);
}

export async function editCadre(db: Db, actor: Actor, id: string, patch: Partial<CadreInput>): Promise<CadreView> {
  if (patch.managingJurisdictionCode) mayManage(actor, patch.managingJurisdictionCode);
  await checkJurisdictions(db, { jurisdictionCode: patch.jurisdictionCode, managingJurisdictionCode: patch.managingJurisdictionCode });
  await db.transaction(async (tx) => {
    if (!(await lockCadre(tx, id))) throw new AppError('NOT_FOUND');
    await updateCadre(tx, id, { ...patch, ...(patch.fullName ? { fullName: patch.fullName.trim(), nameSearch: searchKey(patch.fullName) } : {}) });
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'cadre.updated', resourceKind: 'cadre', resourceId: id, detail: { fields: Object.keys(patch).sort() } });
  });
  const updated = await findCadre(db, id);
  if (!updated) throw new AppError('NOT_FOUND');
  return toView(updated);
}

export type ImportResult = { imported: number };

/**
 * Imports a CSV file whole or not at all: every problem is reported with its line and
 * column (422 with details.problems), and then nothing is written.
 */
export async function importCadres(db: Db, actor: Actor, csv: string): Promise<ImportResult> {
  const known = new Set((await listJurisdictions(db)).map((j) => j.code));
  const parsed = parseCadreCsv(csv, known);
  const problems: CsvProblem[] = parsed.ok ? [] : parsed.problems;
  if (parsed.ok && actor.role !== 'administrator') {
    for (const row of parsed.rows) {
      if (row.managingJurisdictionCode !== actor.bodyJurisdiction) problems.push({ line: row.line, column: 'managing_jurisdiction_code', code: 'not_managed_here' });
    }
  }
  if (!parsed.ok || problems.length > 0) {
    throw new AppError('UNPROCESSABLE', `The file was not imported: ${problems.length} problem(s). Fix the lines listed and import it again.`, {
      problems: problems.slice(0, 200).map((p) => ({ line: p.line, column: p.column, code: p.code })), problemCount: problems.length,
    });
  }
  const rows = parsed.rows;
  await db.transaction(async (tx) => {
    await insertCadres(tx, rows.map((r) => ({
      fullName: r.fullName, nameSearch: searchKey(r.fullName), position: r.position, unitName: r.unitName, jurisdictionCode: r.jurisdictionCode,
      level: r.level, managingLevel: r.managingLevel, managingJurisdictionCode: r.managingJurisdictionCode, isPublic: r.isPublic,
    })));
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'cadre.imported', resourceKind: 'cadre', detail: { count: rows.length } });
  });
  return { imported: rows.length };
}
