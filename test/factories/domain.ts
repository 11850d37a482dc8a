// Builders for the pure domain tests: plain facts with sensible defaults, overridable.

import type { CaseFacts } from '../../server/domain/case-lifecycle.ts';
import { AppError, type ErrorCode } from '../../server/domain/errors.ts';

/** An identified, signed denunciation about cadre-1, in triage, with nothing unusual. */
export const caseFacts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  state: 'triage',
  resumeState: null,
  classification: 'denunciation',
  isAnonymous: false,
  hasSignedPetition: true,
  isCorroborated: false,
  cadreId: 'cadre-1',
  flags: {
    overdue: false,
    urgent: false,
    complexity: 'normal',
    mergedIntoCaseId: null,
    congressWindow: false,
    signsOfViolation: false,
  },
  resolutionExtensions: 0,
  assignedInvestigatorIds: ['inv-1'],
  reporterAnswered: true,
  ...over,
});

/** The AppError code `fn` throws, or 'no error'. Any other exception fails the test. */
export const codeOf = (fn: () => unknown): ErrorCode | 'no error' => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'no error';
};

/** The AppError `fn` throws; fails when it throws nothing. */
export const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError, got none');
};
