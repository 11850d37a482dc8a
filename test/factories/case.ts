// Cases for the workflow tests: a small world (a city and a district, a Front desk and an
// inspection committee at each, staff who handle cases), and cases submitted exactly as
// the intake finalizes them (case row, routed bodies, submit event, case.received outbox).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Db } from '../../server/db/client.ts';
import { localDateOf } from '../../server/domain/calendar.ts';
import { routeCase } from '../../server/domain/routing.ts';
import type { Category, Role } from '../../server/domain/vocabulary.ts';
import { insertCase } from '../../server/repositories/case.repository.ts';
import { findPublicCadre, loadRoutingSnapshot, type RoutingSnapshot } from '../../server/repositories/directory.repository.ts';
import { insertCadres, insertPersonnelActions } from '../../server/repositories/personnel.repository.ts';
import { insertJurisdictions, insertStaff } from '../../server/repositories/org.repository.ts';
import { createBody } from '../../server/services/bootstrap.service.ts';
import { finalizeSubmission, webFiling, writeFilingAndDispatch } from '../../server/services/intake.service.ts';
import type { OutboxDispatcher } from '../../workers/queues.ts';
import type { IntakeRouting } from '../../server/services/intake-routing.service.ts';
import { applyTransition } from '../../server/services/case-transition.service.ts';
import { findCaseRow } from '../../server/repositories/case-event.repository.ts';
import { bodies } from '../../drizzle/schema/index.ts';
import { eq } from 'drizzle-orm';

export type WorkflowWorld = {
  tag: string;
  city: string;
  district: string;
  bodies: { cityFront: string; cityUbkt: string; districtFront: string; districtUbkt: string };
  staff: {
    districtReviewer: string; districtReviewer2: string; districtLead: string; districtInvestigator: string;
    cityReviewer: string; cityLead: string; districtAdmin: string;
  };
};

/** A staff row without sign-in (no passphrase anyone knows): enough to receive notifications. */
async function addStaff(db: Db, bodyId: string, role: Role, email: string | null): Promise<string> {
  return insertStaff(db, {
    bodyId, role, email, username: `wf.${randomBytes(5).toString('hex')}`, displayName: `Cán bộ ${role}`, passphraseHash: '$argon2id$unused',
  });
}

export async function createWorkflowWorld(db: Db): Promise<WorkflowWorld> {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const city = `W${tag}`;
  const district = `W${tag}-D`;
  const code = (s: string): string => `w${tag.toLowerCase()}-${s}`;
  const ids = await db.transaction(async (tx) => {
    await insertJurisdictions(tx, [
      { code: city, nameVi: `Thành phố ${tag}`, nameEn: `${tag} City`, level: 'city', parentCode: null },
      { code: district, nameVi: `Quận ${tag}`, nameEn: `${tag} District`, level: 'district', parentCode: city },
    ]);
    const make = async (s: string, kind: 'front_intake' | 'inspection_committee', level: 'city' | 'district', j: string) =>
      (await createBody(tx, { code: code(s), kind, level, jurisdictionCode: j, nameVi: `Đơn vị ${s}`, nameEn: `Body ${s}` }, null)).id;
    return {
      cityFront: await make('mttq', 'front_intake', 'city', city),
      cityUbkt: await make('ubkt', 'inspection_committee', 'city', city),
      districtFront: await make('d-mttq', 'front_intake', 'district', district),
      districtUbkt: await make('d-ubkt', 'inspection_committee', 'district', district),
    };
  });
  const mail = (who: string): string => `${who}.${tag.toLowerCase()}@example.test`;
  const staff = {
    districtReviewer: await addStaff(db, ids.districtFront, 'front_reviewer', mail('reviewer')),
    districtReviewer2: await addStaff(db, ids.districtFront, 'front_reviewer', null),
    districtLead: await addStaff(db, ids.districtUbkt, 'inspection_lead', mail('lead')),
    districtInvestigator: await addStaff(db, ids.districtUbkt, 'inspection_investigator', null),
    cityReviewer: await addStaff(db, ids.cityFront, 'front_reviewer', null),
    cityLead: await addStaff(db, ids.cityUbkt, 'inspection_lead', null),
    // Never notified: administrators do not work cases.
    districtAdmin: await addStaff(db, ids.districtFront, 'administrator', mail('admin')),
  };
  return { tag, city, district, bodies: ids, staff };
}

export async function setBodyLead(db: Db, bodyId: string, staffId: string | null): Promise<void> {
  await db.update(bodies).set({ leadStaffId: staffId }).where(eq(bodies.id, bodyId));
}

export type SubmitOptions = {
  category?: Category;
  /** The case's day of receipt (YYYY-MM-DD); today in Vietnam by default. */
  receivedOn?: string;
  isAnonymous?: boolean;
  hasSignedPetition?: boolean;
  cadreId?: string;
  /** Routing data read once by the caller (the intake's cached copy); read afresh otherwise. */
  snapshot?: RoutingSnapshot;
};

export type SubmittedCase = { id: string; publicRef: string; receivedOn: string };

/** A case in state received, as the intake's finalizeSubmission leaves it. */
export async function submitCase(db: Db, world: WorkflowWorld, opts: SubmitOptions = {}): Promise<SubmittedCase> {
  const day = opts.receivedOn ?? localDateOf(new Date());
  const category = opts.category ?? 'budget_assets';
  const snapshot = opts.snapshot ?? (await loadRoutingSnapshot(db));
  const cadre = opts.cadreId ? await findPublicCadre(db, opts.cadreId) : undefined;
  const result = routeCase({ category, jurisdictionCode: world.district, ...(cadre ? { cadre } : {}) }, snapshot);
  const publicRef = `MB-${randomBytes(4).toString('hex').toUpperCase()}`;
  const id = await db.transaction(async (tx) => {
    const caseId = await insertCase(tx, {
      publicRef, category, jurisdictionCode: world.district, channel: 'web', language: 'vi', isAnonymous: opts.isAnonymous ?? false,
      hasSignedPetition: opts.hasSignedPetition ?? false, cadreId: opts.cadreId ?? null,
      lookupTokenHash: randomBytes(32), reporterPublicKey: randomBytes(32), receivedOn: day, updatedAt: new Date(`${day}T00:00:00+07:00`),
    });
    if (!caseId) throw new Error('case insert failed');
    await finalizeSubmission(tx, { id: caseId, publicRef, channel: 'web', serverSealed: false, attachments: 0 }, { result, cadreId: opts.cadreId ?? null, required: [] }, day, { wasPending: false });
    return caseId;
  });
  return { id, publicRef, receivedOn: day };
}

/**
 * A received case filed as the web intake files a browser-sealed report with no files: one
 * statement (intake-filing.repository.ts) writes the case, its envelope, routed bodies, submit
 * event, case.received outbox row and audit entry. The report is random bytes; the world's
 * bodies have no keys, so nothing is sealed to them.
 */
export async function fileCase(
  database: Pick<Database, 'db' | 'sql'>, world: WorkflowWorld, snapshot: RoutingSnapshot, dispatcher?: Pick<OutboxDispatcher, 'topics' | 'dispatch'>,
): Promise<SubmittedCase> {
  const day = localDateOf(new Date());
  const routing: IntakeRouting = { result: routeCase({ category: 'budget_assets', jurisdictionCode: world.district }, snapshot), cadreId: null, required: [] };
  const publicRef = `MB-${randomBytes(4).toString('hex').toUpperCase()}`;
  const filing = webFiling({
    caseId: randomUUID(), publicRef, category: 'budget_assets', jurisdictionCode: world.district, noticeActionId: null,
    channel: 'web', language: 'vi', routing, day, lookupTokenHash: randomBytes(32), reporterPublicKey: randomBytes(32),
    report: randomBytes(2048), identity: null, wraps: [{ keyKind: 'case', recipientKind: 'reporter', sealedKey: randomBytes(81) }], attachments: [],
  });
  const written = await writeFilingAndDispatch({ db: database.db, sql: database.sql, ...(dispatcher ? { dispatcher } : {}) }, filing);
  if (!written.ok) throw new Error('filing refused');
  return { id: filing.case.id, publicRef, receivedOn: day };
}

export const newId = (): string => randomUUID();

const DAY_MS = 86_400_000;

/**
 * Moves a submitted case the way staff would (through applyTransition) to 'accepted', the
 * acceptance dated `acceptedDaysAgo` days back so its 30-day resolution clock can be late.
 */
export async function acceptCase(db: Db, world: WorkflowWorld, caseId: string, acceptedDaysAgo = 0): Promise<void> {
  const reviewer = { kind: 'staff', role: 'front_reviewer', staffId: world.staff.districtReviewer } as const;
  const lead = { kind: 'staff', role: 'inspection_lead', staffId: world.staff.districtLead } as const;
  if ((await findCaseRow(db, caseId))?.state === 'received') {
    await applyTransition(db, { caseId, actor: { kind: 'system' }, transition: 'start_triage' });
  }
  await applyTransition(db, { caseId, actor: reviewer, transition: 'classify', params: { classification: 'denunciation' } });
  await applyTransition(db, { caseId, actor: reviewer, transition: 'refer', params: { targetBodyId: world.bodies.districtUbkt } });
  await applyTransition(db, { caseId, actor: lead, transition: 'accept', now: new Date(Date.now() - acceptedDaysAgo * DAY_MS) });
}

/** A district cadre with a pending appointment: what a hold is placed on. */
export async function addCadreWithPendingAction(db: Db, world: WorkflowWorld): Promise<{ cadreId: string; actionId: string }> {
  return db.transaction(async (tx) => {
    const [cadre] = await insertCadres(tx, [{
      fullName: `Trần Văn Thử ${world.tag}`, nameSearch: `tran van thu ${world.tag.toLowerCase()}`, position: 'Trưởng phòng', unitName: 'UBND quận',
      jurisdictionCode: world.district, level: 'district', managingLevel: 'district', managingJurisdictionCode: world.district,
    }]);
    if (!cadre) throw new Error('no cadre');
    const actionId = randomUUID();
    await insertPersonnelActions(tx, [{
      id: actionId, cadreId: cadre.id, kind: 'appointment', state: 'pending_decision', proposingBodyId: world.bodies.districtFront,
      positionTitle: 'Phó Chủ tịch UBND quận', proposedOn: localDateOf(new Date()),
    }]);
    return { cadreId: cadre.id, actionId };
  });
}
