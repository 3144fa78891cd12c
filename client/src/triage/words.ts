// Plain words for triage: clocks, next statuses, outcome and role labels.
import { type CaseStatus, type OutcomeCode } from '../../../shared/src/api/domain.ts';
import type { Clock } from '../staff/types.ts';

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** "Acknowledge in 3 days", "Acknowledgement 2 days overdue", "Feedback due in 40 days". */
export function clockWords(clock: Clock): string {
  if (!clock.kind) return '';
  const d = clock.days;
  if (clock.kind === 'advice') {
    if (d < 0) return `Advice reply ${days(-d)} overdue`;
    return d === 0 ? 'Advice reply due today' : `Advice reply due in ${days(d)}`;
  }
  if (clock.kind === 'acknowledge') {
    if (d < 0) return `Acknowledgement ${days(-d)} overdue`;
    return d === 0 ? 'Acknowledge today' : `Acknowledge in ${days(d)}`;
  }
  if (d < 0) return `Feedback ${days(-d)} overdue`;
  return d === 0 ? 'Feedback due today' : `Feedback due in ${days(d)}`;
}

export const isOverdue = (clock: Clock): boolean => clock.kind !== null && clock.days < 0;

/** Statuses a case may move to (shared/src/domain/statuses.ts: forward; a referred case may start an investigation). */
export { nextStatuses } from '../../../shared/src/domain/statuses.ts';

/** Short labels for the staff who choose an outcome (the reporter sees reporter/words.ts). */
export const OUTCOME_LABELS: Record<OutcomeCode, string> = {
  no_case_to_answer: 'No case to answer',
  reflective_practice: 'Reflective practice',
  management_action: 'Management action',
  misconduct_meeting: 'Misconduct meeting',
  gross_misconduct_hearing: 'Gross misconduct hearing',
  referred_iopc: 'Referred to the IOPC',
  referred_dps: 'Referred to the Directorate of Professional Standards',
  criminal_investigation: 'Criminal investigation',
  welfare_support_only: 'Welfare support only',
  withdrawn: 'Withdrawn by the reporter',
  insufficient_information: 'Not enough information to go further',
};

export const STATUS_ACTION: Record<CaseStatus, string> = {
  received: 'Received',
  acknowledged: 'Acknowledge',
  assessing: 'Start assessment',
  investigating: 'Start investigation',
  referred: 'Mark as referred',
  closed: 'Close the case',
};

export const ROLE_WORDS: Record<string, string> = {
  triage: 'Triage officer',
  lead: 'Team lead',
  oversight: 'Oversight',
  admin: 'Administrator',
};

/** IOPC mandatory referral grounds, as kept in an assessment note. */
export const IOPC_GROUNDS: Record<string, string> = {
  serious_sexual_offence: 'A serious sexual offence',
  sexual_abuse_of_position: 'Abuse of position for a sexual purpose',
  serious_corruption: 'Serious corruption',
  discrimination: 'Conduct aggravated by discrimination',
  death_or_serious_injury: 'Death or serious injury',
  other: 'Another reason for mandatory referral',
};

export const SEVERITY_LABELS: Record<'no_case_to_answer' | 'misconduct' | 'gross_misconduct', string> = {
  no_case_to_answer: 'No case to answer',
  misconduct: 'Misconduct',
  gross_misconduct: 'Gross misconduct',
};
