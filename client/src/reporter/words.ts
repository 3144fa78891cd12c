// Plain words for the codes the server uses.
import { OUTCOMES, STATUSES, type CaseStatus, type OutcomeCode } from '../../../shared/src/api/domain.ts';

export const STATUS_WORDS: Record<CaseStatus, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  assessing: 'Being assessed',
  investigating: 'Being investigated',
  referred: 'Referred',
  closed: 'Closed',
};

export const STATUS_TAG_COLOUR: Record<CaseStatus, string> = {
  received: 'blue',
  acknowledged: 'light-blue',
  assessing: 'yellow',
  investigating: 'orange',
  referred: 'purple',
  closed: 'grey',
};

export const OUTCOME_WORDS: Record<OutcomeCode, string> = {
  no_case_to_answer: 'The team looked into your concern and found there was no case for anyone to answer.',
  reflective_practice: 'The person was told to reflect on their behaviour and learn from it (reflective practice). This is not a disciplinary finding.',
  management_action: 'A manager has taken action with the person to deal with their behaviour.',
  misconduct_meeting: 'The person has to attend a misconduct meeting.',
  gross_misconduct_hearing: 'The person has to attend a gross misconduct hearing. This is the most serious level of misconduct.',
  referred_iopc: 'Your concern was passed to the Independent Office for Police Conduct (IOPC).',
  referred_dps: 'Your concern was passed to a central Directorate of Professional Standards team.',
  criminal_investigation: 'Your concern is part of a criminal investigation.',
  welfare_support_only: 'The team arranged welfare support. No further action was taken about anyone’s conduct.',
  withdrawn: 'The case was closed because the report was withdrawn.',
  insufficient_information: 'The team could not take this further because there was not enough information.',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2025-03-04" → "4 March 2025". Days only: we never show or keep times. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : day;
}

export function isStatus(s: string): s is CaseStatus {
  return (STATUSES as readonly string[]).includes(s);
}

export function statusWords(s: string): string {
  return isStatus(s) ? STATUS_WORDS[s] : s;
}

export function statusColour(s: string): string | undefined {
  return isStatus(s) ? STATUS_TAG_COLOUR[s] : undefined;
}

export function outcomeWords(s: string | undefined): string {
  if (s && (OUTCOMES as readonly string[]).includes(s)) return OUTCOME_WORDS[s as OutcomeCode];
  return 'Your case is closed.';
}
