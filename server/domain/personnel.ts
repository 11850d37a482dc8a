// The personnel action state machine: draft → public_notice → pending_decision → approved
// → executed, or withdrawn. A confirmed hold parks a pending action in 'held' and release
// puts it back where it was. Approval and execution always pass the hold check.

import { compareDates, isIsoDate, type IsoDate } from './calendar.ts';
import { AppError } from './errors.ts';
import {
  checkApproval,
  isInForce,
  type HoldFacts,
  type PersonnelActionFacts,
  type ProceedAnywayDecision,
  type ProtectedReporterStatus,
} from './holds.ts';
import { LEVELS, type Level, type PersonnelActionState } from './vocabulary.ts';

export const PERSONNEL_TRANSITION_NAMES = [
  'publish_notice',
  'submit_for_decision',
  'approve',
  'execute',
  'withdraw',
  'hold',
  'release',
] as const;
export type PersonnelTransitionName = (typeof PERSONNEL_TRANSITION_NAMES)[number];

type PersonnelTransitionDef = {
  from: readonly PersonnelActionState[];
  /** 'held_from' goes back to the state the action was in when it was held. */
  to: PersonnelActionState | 'held_from';
  /** hold and release follow hold decisions; staff never make them directly. */
  isSystemOnly: boolean;
  checksHolds: boolean;
};

export const PERSONNEL_TRANSITIONS: Record<PersonnelTransitionName, PersonnelTransitionDef> = {
  publish_notice: { from: ['draft'], to: 'public_notice', isSystemOnly: false, checksHolds: false },
  submit_for_decision: { from: ['draft', 'public_notice'], to: 'pending_decision', isSystemOnly: false, checksHolds: false },
  approve: { from: ['pending_decision'], to: 'approved', isSystemOnly: false, checksHolds: true },
  execute: { from: ['approved'], to: 'executed', isSystemOnly: false, checksHolds: true },
  withdraw: {
    from: ['draft', 'public_notice', 'pending_decision', 'held', 'approved'],
    to: 'withdrawn',
    isSystemOnly: false,
    checksHolds: false,
  },
  hold: { from: ['draft', 'public_notice', 'pending_decision'], to: 'held', isSystemOnly: true, checksHolds: false },
  release: { from: ['held'], to: 'held_from', isSystemOnly: true, checksHolds: true },
};

export type PersonnelActionRecord = PersonnelActionFacts & {
  /** Last day of the public comment period. */
  noticeUntil: IsoDate | null;
  heldFrom: PersonnelActionState | null;
};

export type PersonnelPlanInput = {
  action: PersonnelActionRecord;
  transition: string;
  actor: 'staff' | 'system';
  today: IsoDate;
  /** Every hold on this action, whatever its state. */
  holds: readonly HoldFacts[];
  proceedAnyway: readonly ProceedAnywayDecision[];
  protectedReporter: ProtectedReporterStatus;
  params?: { noticeUntil?: IsoDate };
};

export type PersonnelPlan = {
  transition: PersonnelTransitionName;
  from: PersonnelActionState;
  to: PersonnelActionState;
  heldFrom: PersonnelActionState | null;
  noticeUntil: IsoDate | null;
  /** Holds passed by a proceed-anyway decision: the audit entry names each. */
  overriddenHoldIds: string[];
  event: { type: string };
};

const isName = (n: string): n is PersonnelTransitionName =>
  (PERSONNEL_TRANSITION_NAMES as readonly string[]).includes(n);

const notNow = (message: string, actionId: string): never => {
  throw new AppError('INVALID_TRANSITION', message, { personnelActionId: actionId });
};

/** Plans one move of a personnel action; throws ACTION_HELD or REVIEW_REQUIRED from the hold check. */
export const planPersonnelTransition = (input: PersonnelPlanInput): PersonnelPlan => {
  const { action, transition: name, today } = input;
  if (!isName(name)) return notNow(`There is no personnel action transition named '${name}'.`, action.id);
  const def = PERSONNEL_TRANSITIONS[name];
  if (def.isSystemOnly && input.actor !== 'system') {
    throw new AppError('FORBIDDEN', `'${name}' follows a hold decision and is not made by hand.`, {
      personnelActionId: action.id,
    });
  }
  if (!isIsoDate(today)) throw new AppError('VALIDATION_FAILED', 'Expected the date written as YYYY-MM-DD.');

  // The hold check runs before the state check, so a held action's refusal names the hold.
  let overriddenHoldIds: string[] = [];
  if (def.checksHolds) {
    const reporter: ProtectedReporterStatus = name === 'release' ? { isProtected: false } : input.protectedReporter;
    overriddenHoldIds = checkApproval(action, input.holds, input.proceedAnyway, reporter).overriddenHoldIds;
  }
  if (!def.from.includes(action.state)) {
    notNow(`A personnel action cannot be '${name}' from '${action.state}'; possible from: ${def.from.join(', ')}.`, action.id);
  }

  let noticeUntil = action.noticeUntil;
  let heldFrom = action.heldFrom;
  let to: PersonnelActionState;
  if (def.to === 'held_from') {
    if (heldFrom === null) return notNow('The action does not record the state it was held in.', action.id);
    to = heldFrom;
    heldFrom = null;
  } else {
    to = def.to;
  }

  switch (name) {
    case 'publish_notice': {
      const until = input.params?.noticeUntil;
      if (until === undefined || !isIsoDate(until) || compareDates(until, today) <= 0) {
        throw new AppError('VALIDATION_FAILED', 'A public notice needs a last day of comment after today.', {
          personnelActionId: action.id,
        });
      }
      noticeUntil = until;
      break;
    }
    case 'submit_for_decision':
      // Comments are open until the end of the notice's last day.
      if (action.state === 'public_notice' && noticeUntil !== null && compareDates(today, noticeUntil) <= 0) {
        notNow(`The public comment period runs until ${noticeUntil}; submit it for decision after that.`, action.id);
      }
      break;
    case 'hold':
      if (!input.holds.some((h) => h.personnelActionId === action.id && isInForce(h.state))) {
        notNow('An action is put on hold only by a confirmed hold.', action.id);
      }
      heldFrom = action.state;
      break;
    default:
      break;
  }

  return { transition: name, from: action.state, to, heldFrom, noticeUntil, overriddenHoldIds, event: { type: `personnel.${name}` } };
};

// The cadre directory's CSV import: parsed and checked here in full before anything is
// written, so a file with one bad row is refused whole and each problem names its line.

export const CADRE_CSV_COLUMNS = [
  'full_name', 'position', 'unit_name', 'jurisdiction_code', 'level', 'managing_level', 'managing_jurisdiction_code',
] as const;
export type CadreCsvColumn = (typeof CADRE_CSV_COLUMNS)[number];

export type CadreImportRow = {
  line: number;
  fullName: string;
  position: string;
  unitName: string;
  jurisdictionCode: string;
  level: Level;
  managingLevel: Level;
  managingJurisdictionCode: string;
  isPublic: boolean;
};

export type CsvProblem = { line: number; column: string | null; code: 'missing' | 'too_long' | 'unknown_level' | 'unknown_jurisdiction' | 'bad_header' | 'column_count' | 'unterminated_quote' | 'empty_file' | 'too_many_rows' | 'bad_boolean' | 'not_managed_here' };

export const MAX_IMPORT_ROWS = 5_000;
const MAX_FIELD = { full_name: 120, position: 200, unit_name: 200, jurisdiction_code: 40, managing_jurisdiction_code: 40 } as const;

/** RFC 4180 records with the line each starts on (quoted fields may span lines). */
export const parseCsvRecords = (text: string): { records: { line: number; fields: string[] }[]; problem: CsvProblem | null } => {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let startLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM, as spreadsheet programs write
  const endRecord = () => {
    fields.push(field);
    // A blank line is not a record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') inQuotes = true;
    else if (ch === ',') { fields.push(field); field = ''; }
    else if (ch === '\r') continue;
    else if (ch === '\n') { endRecord(); line++; startLine = line; }
    else field += ch;
  }
  if (inQuotes) return { records, problem: { line: startLine, column: null, code: 'unterminated_quote' } };
  if (field !== '' || fields.length > 0) endRecord();
  return { records, problem: null };
};

const parseBool = (v: string): boolean | null => {
  const t = v.trim().toLowerCase();
  if (t === '' || t === '1' || t === 'true' || t === 'co' || t === 'có' || t === 'yes') return true;
  if (t === '0' || t === 'false' || t === 'khong' || t === 'không' || t === 'no') return false;
  return null;
};

/**
 * Parses and checks a cadre CSV. The header names the columns (any order; `is_public` is
 * optional). Returns every row, or every problem found: the caller imports nothing then.
 */
export const parseCadreCsv = (
  text: string,
  knownJurisdictions: ReadonlySet<string>,
): { ok: true; rows: CadreImportRow[] } | { ok: false; problems: CsvProblem[] } => {
  const { records, problem } = parseCsvRecords(text);
  if (problem) return { ok: false, problems: [problem] };
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [{ line: 1, column: null, code: 'empty_file' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = CADRE_CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) return { ok: false, problems: missing.map((c) => ({ line: header.line, column: c, code: 'bad_header' as const })) };
  if (body.length === 0) return { ok: false, problems: [{ line: header.line + 1, column: null, code: 'empty_file' }] };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, problems: [{ line: header.line, column: null, code: 'too_many_rows' }] };
  const at = (fields: string[], c: string): string => (fields[names.indexOf(c)] ?? '').trim();
  const problems: CsvProblem[] = [];
  const rows: CadreImportRow[] = [];
  for (const { line, fields } of body) {
    if (fields.length !== names.length) {
      problems.push({ line, column: null, code: 'column_count' });
      continue;
    }
    const before = problems.length;
    for (const c of CADRE_CSV_COLUMNS) {
      const v = at(fields, c);
      if (v === '') problems.push({ line, column: c, code: 'missing' });
      else if (c in MAX_FIELD && v.length > MAX_FIELD[c as keyof typeof MAX_FIELD]) problems.push({ line, column: c, code: 'too_long' });
    }
    for (const c of ['level', 'managing_level'] as const) {
      const v = at(fields, c);
      if (v !== '' && !(LEVELS as readonly string[]).includes(v)) problems.push({ line, column: c, code: 'unknown_level' });
    }
    for (const c of ['jurisdiction_code', 'managing_jurisdiction_code'] as const) {
      const v = at(fields, c);
      if (v !== '' && !knownJurisdictions.has(v)) problems.push({ line, column: c, code: 'unknown_jurisdiction' });
    }
    const isPublic = names.includes('is_public') ? parseBool(at(fields, 'is_public')) : true;
    if (isPublic === null) problems.push({ line, column: 'is_public', code: 'bad_boolean' });
    if (problems.length > before) continue;
    rows.push({
      line, fullName: at(fields, 'full_name'), position: at(fields, 'position'), unitName: at(fields, 'unit_name'),
      jurisdictionCode: at(fields, 'jurisdiction_code'), level: at(fields, 'level') as Level, managingLevel: at(fields, 'managing_level') as Level,
      managingJurisdictionCode: at(fields, 'managing_jurisdiction_code'), isPublic: isPublic ?? true,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
};
