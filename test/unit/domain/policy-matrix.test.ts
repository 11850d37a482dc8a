import { describe, expect, it } from 'vitest';
import { ALL_ACTIONS, decide, type Action, type Actor, type ResourceFor } from '../../../server/domain/policy.ts';
import type { Role } from '../../../server/domain/vocabulary.ts';
import { actorFor, fullResource } from '../../factories/policy.ts';

// The expected access table, written out by hand. Each role is given a resource its own
// body fully holds (granted, handling, owning), so the table shows what the role alone
// allows; the body, self and recusal rules are in policy.test.ts.

const T = (...names: string[]) => names.map((n) => `case.transition:${n}`);
const CASE_READ = ['case.list', 'case.read_metadata', 'case.read_content', 'case.read_identity', 'case.note', 'case.recuse'];

const EXPECTED: Record<Role, readonly string[]> = {
  front_member: ['case.submit_on_behalf'],
  front_reviewer: [
    ...CASE_READ,
    'case.approve_identity_access',
    'case.message_reporter',
    'case.forward',
    'case.merge',
    ...T('start_triage', 'classify', 'request_info', 'proceed_without_reply', 'return', 'file', 'merge', 'transfer', 'refer'),
    'key.grant_body_key',
  ],
  inspection_investigator: [...CASE_READ, 'case.message_reporter', 'personnel.view_holds'],
  inspection_lead: [
    ...CASE_READ,
    'case.approve_identity_access',
    'case.message_reporter',
    'case.assign',
    'case.forward',
    'case.export',
    ...T('accept', 'not_accept', 'examine', 'assign', 'mark_signs_of_violation', 'extend_resolution', 'pause', 'resume', 'terminate', 'conclude'),
    'personnel.view_holds',
    'hold.confirm',
    'hold.refuse',
    'hold.renew',
    'hold.lift',
    'hold.proceed_anyway_record',
    'hold.protect_reporter',
    'hold.review_adverse',
    'key.grant_body_key',
  ],
  personnel_officer: [
    'personnel.create',
    'personnel.update',
    'personnel.publish_notice',
    'personnel.approve',
    'personnel.execute',
    'personnel.withdraw',
    'personnel.view_holds',
    'cadre.manage',
    'cadre.import',
  ],
  administrator: ['body.manage', 'staff.manage', 'routing.manage', 'holiday.manage', 'queue.dashboard', 'cadre.manage', 'cadre.import'],
  auditor: ['audit.read', 'audit.verify'],
};

const ROLES = Object.keys(EXPECTED) as Role[];
const check = (actor: Actor, action: Action, resource: unknown) =>
  decide(actor, action, resource as ResourceFor<typeof action>);

describe('the access matrix: every role against every action', () => {
  it('covers exactly the actions the policy knows', () => {
    // Moves only the reporter or the system make: no staff role gets them.
    const refusedToAll = T('reporter_reply', 'close', 'withdraw');
    const named = new Set([...Object.values(EXPECTED).flat(), ...refusedToAll]);
    expect([...ALL_ACTIONS].sort()).toEqual([...named].sort());
  });

  const rows = ROLES.flatMap((role) => ALL_ACTIONS.map((action) => [role, action, EXPECTED[role].includes(action)] as const));
  it.each(rows)('%s → %s: allowed=%s', (role, action, allowed) => {
    const actor = actorFor(role);
    const d = check(actor, action, fullResource(actor, action));
    expect(d.allowed).toBe(allowed);
  });

  it('refuses every case action, transition and key to administrators, personnel officers and auditors', () => {
    for (const role of ['administrator', 'personnel_officer', 'auditor'] as const) {
      const actor = actorFor(role);
      for (const action of ALL_ACTIONS.filter((a) => a.startsWith('case.') || a.startsWith('key.'))) {
        if (action === 'case.submit_on_behalf') continue;
        const d = check(actor, action, fullResource(actor, action));
        expect(d.allowed ? 'allowed' : d.reason.code, `${role} ${action}`).toBe('NO_CASE_ACCESS');
      }
    }
  });
});
