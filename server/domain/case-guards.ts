// The checks behind the table's `requires` and `guards` columns. A missing or malformed
// parameter is VALIDATION_FAILED; a rule about where the case stands is INVALID_TRANSITION.

import { AppError } from './errors.ts';
import {
  FILING_REASONS,
  NOT_ACCEPT_REASONS,
  PAUSE_REASONS,
  RETURN_GUIDANCE,
  TERMINATION_REASONS,
} from './case-reasons.ts';
import type { Guard, Requirement } from './case-transitions.ts';
import { DEFAULT_DEADLINE_POLICY, canExtend, type DeadlinePolicy } from './deadlines.ts';
import type { CaseFacts, TransitionParams } from './case-lifecycle.ts';
import { CLASSIFICATIONS, CONCLUSION_OUTCOMES, type CaseState, type Classification, type ConclusionOutcome } from './vocabulary.ts';

export const REASON_LISTS = {
  filing_reason: FILING_REASONS,
  not_accept_reason: NOT_ACCEPT_REASONS,
  termination_reason: TERMINATION_REASONS,
  pause_reason: PAUSE_REASONS,
  return_guidance: RETURN_GUIDANCE,
} as const;

const STATES_BEFORE_ACCEPTANCE: readonly CaseState[] = ['received', 'triage', 'referred'];

const isClassification = (v: unknown): v is Classification =>
  typeof v === 'string' && (CLASSIFICATIONS as readonly string[]).includes(v);
const isOutcome = (v: unknown): v is ConclusionOutcome =>
  typeof v === 'string' && (CONCLUSION_OUTCOMES as readonly string[]).includes(v);
const isFilled = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

const invalid = (name: string, message: string): never => {
  throw new AppError('VALIDATION_FAILED', message, { transition: name });
};
const notNow = (name: string, message: string): never => {
  throw new AppError('INVALID_TRANSITION', message, { transition: name });
};

export const checkRequirement = (r: Requirement, name: string, facts: CaseFacts, params: TransitionParams): void => {
  switch (r) {
    case 'classification':
      if (!isClassification(params.classification)) invalid(name, `'${name}' needs a classification: ${CLASSIFICATIONS.join(', ')}.`);
      return;
    case 'classified':
      if (facts.classification === null) notNow(name, `Classify the case before '${name}'.`);
      return;
    case 'filing_reason':
    case 'not_accept_reason':
    case 'termination_reason':
    case 'pause_reason':
    case 'return_guidance': {
      const list: readonly string[] = REASON_LISTS[r];
      if (params.reasonCode === undefined || !list.includes(params.reasonCode)) {
        invalid(name, `'${name}' needs a reason code (${r}): one of ${list.join(', ')}.`);
      }
      return;
    }
    case 'conclusion_outcome':
      if (!isOutcome(params.outcome)) invalid(name, `'${name}' needs an outcome: ${CONCLUSION_OUTCOMES.join(', ')}.`);
      return;
    case 'investigators': {
      const given = (params.investigatorIds ?? []).filter(isFilled);
      if (given.length === 0 && facts.assignedInvestigatorIds.length === 0) {
        invalid(name, `'${name}' needs at least one assigned investigator.`);
      }
      return;
    }
    case 'target_body':
      if (!isFilled(params.targetBodyId)) invalid(name, `'${name}' needs the inspection body the case goes to.`);
      return;
    case 'external_body':
      if (!isFilled(params.externalBodyRef)) invalid(name, `'${name}' needs the competent body the case is sent to.`);
      return;
    case 'merged_into':
      if (!isFilled(params.mergedIntoCaseId)) invalid(name, `'${name}' needs the case this one is merged into.`);
      return;
    case 'decision_ref':
      if (!isFilled(params.decisionRef)) invalid(name, `'${name}' needs the reference of the recorded decision.`);
      return;
    case 'complexity':
      if (params.complexity !== 'complex' && params.complexity !== 'especially_complex') {
        invalid(name, `'${name}' needs the case to be declared complex or especially complex.`);
      }
      return;
    case 'cadre':
      if (facts.cadreId === null) invalid(name, `'${name}' needs the case to name a cadre in the directory.`);
      return;
    case 'resume_state':
      if (facts.resumeState === null) notNow(name, `The case has no state to return to for '${name}'.`);
      return;
    case 'reporter_answered':
      if (!facts.reporterAnswered) notNow(name, 'The case is closed only once the reporter has been answered.');
      return;
  }
};

export const checkGuard = (
  g: Guard,
  name: string,
  facts: CaseFacts,
  params: TransitionParams,
  deadlinePolicy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): void => {
  switch (g) {
    case 'classification_allowed':
      // Law on Denunciation 2018: a denunciation is a signed petition or a signed record of
      // a statement; anything else with denunciation content is Art. 25 information.
      if (params.classification === 'denunciation' && (facts.isAnonymous || !facts.hasSignedPetition)) {
        invalid(
          name,
          facts.isAnonymous
            ? "An anonymous report is never classified as a denunciation; classify it as 'denunciation_information'."
            : "A denunciation needs a signed petition from the identified reporter; until then classify it as 'denunciation_information'.",
        );
      }
      return;
    case 'referable': {
      if (facts.classification === 'complaint') {
        notNow(name, 'A complaint is not referred for inspection: return it with guidance or transfer it.');
      }
      const needsSpecifics = facts.isAnonymous || facts.classification === 'denunciation_information';
      if (needsSpecifics && params.isSpecific !== true) {
        invalid(
          name,
          'An anonymous report or Art. 25 information is referred only when it names a person and a specific act with evidence; ' +
            "otherwise file it with the reason 'anonymous_without_specifics'.",
        );
      }
      return;
    }
    case 'denunciation_path':
      if (facts.isAnonymous) {
        notNow(name, 'An anonymous report is never put on the acceptance path of a denunciation; examine it or file it.');
      }
      if (facts.classification !== 'denunciation' || !facts.hasSignedPetition) {
        notNow(name, `Only a signed denunciation by an identified reporter can be accepted or not accepted; use 'examine' or 'file'.`);
      }
      return;
    case 'not_denunciation':
      if (facts.classification === 'denunciation') {
        notNow(name, `A denunciation is taken up with 'accept' or declined with 'not_accept'.`);
      }
      return;
    case 'not_denunciation_after_referral':
      if (facts.state === 'referred' && facts.classification === 'denunciation') {
        notNow(name, `A referred denunciation is declined with 'not_accept' and a reason, not filed.`);
      }
      return;
    case 'outside_congress_window':
      if (facts.flags.congressWindow) {
        notNow(name, 'This case was received inside the window before a party congress: it is recorded and taken up after the congress.');
      }
      return;
    case 'extension_available': {
      // The body's deadline policy says how many extensions each complexity allows.
      const complexity = params.complexity ?? facts.flags.complexity;
      const max = deadlinePolicy.maxExtensions[complexity];
      if (!canExtend(complexity, facts.resolutionExtensions, deadlinePolicy)) {
        notNow(name, `A ${complexity} case allows ${max} extension(s) of the resolution time; ${facts.resolutionExtensions} already made.`);
      }
      return;
    }
    case 'before_acceptance': {
      const effective = facts.state === 'needs_info' ? facts.resumeState : facts.state;
      if (effective === null || !STATES_BEFORE_ACCEPTANCE.includes(effective)) {
        notNow(
          name,
          'Once a case is taken up, a withdrawal is a request: the inspection lead decides whether to terminate it.',
        );
      }
      return;
    }
  }
};
