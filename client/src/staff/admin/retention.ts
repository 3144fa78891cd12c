// Words and checks for the retention pages, apart from rendering so they can be tested. A rule is keyed
// by an outcome code (closed cases) or an item name (the two things that never close), as the server keys it.
import { OUTCOMES, type OutcomeCode } from '../../../../shared/src/api/domain.ts';
import { isRetentionItem, RETENTION_MONTHS_MAX, type RetentionItem } from '../../../../shared/src/api/retention.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { OUTCOME_LABELS } from '../../triage/words.ts';

export type RetentionKey = OutcomeCode | RetentionItem;

export const isRetentionKey = (key: string): key is RetentionKey =>
  (OUTCOMES as readonly string[]).includes(key) || isRetentionItem(key);

export const retentionPath = (key?: RetentionKey): string => `/triage/admin/retention${key ? `/${key}` : ''}`;

const ITEM_WORDS: Record<RetentionItem, { name: string; plural: (n: number) => string; from: string; question: string }> = {
  advice: {
    name: 'Advice requests not turned into a report',
    plural: (n) => (n === 1 ? 'advice request' : 'advice requests'),
    from: 'Counted from the day the request was made or its last message, whichever is later. Staff notes do not count: the person who asked is shown the day their request will be deleted.',
    question: 'How long should advice requests that were not turned into a report be kept?',
  },
  record: {
    name: 'Private records not turned into a report',
    plural: (n) => (n === 1 ? 'private record' : 'private records'),
    from: 'Counted from the day the record was made or last added to, whichever is later. Its holder is shown the day it will be deleted. No team has ever seen a private record.',
    question: 'How long should private records that were not turned into a report be kept?',
  },
};


/** What a rule governs, for a page heading or a summary row: "No case to answer", "Private records not turned into a report". */
export function ruleName(key: RetentionKey): string {
  return isRetentionItem(key) ? ITEM_WORDS[key].name : OUTCOME_LABELS[key];
}

/** The question the rule's page asks, as its heading. */
export function ruleQuestion(key: RetentionKey): string {
  return isRetentionItem(key) ? ITEM_WORDS[key].question : `How long should closed cases with the outcome ‘${OUTCOME_LABELS[key]}’ be kept?`;
}

/** When the period starts, under the question. */
export function ruleHint(key: RetentionKey): string {
  return isRetentionItem(key)
    ? ITEM_WORDS[key].from
    : 'Counted from the day the case was closed, or from its last message or note after that, so a concern raised after closure is not deleted with it.';
}

/** "3 months", "1 year", "2 years", "18 months". */
export function periodWords(months: number): string {
  if (months % 12 === 0) return months === 12 ? '1 year' : `${months / 12} years`;
  return months === 1 ? '1 month' : `${months} months`;
}

/** "3 closed cases", "1 advice request", "fewer than 5 private records" ('<5': the server's 1 to 4). */
export function countWords(key: RetentionKey, n: number | '<5'): string {
  const many = n === '<5' ? 2 : n;
  const noun = isRetentionItem(key) ? ITEM_WORDS[key].plural(many) : many === 1 ? 'closed case' : 'closed cases';
  return `${n === '<5' ? 'fewer than 5' : n} ${noun}`;
}

/** What goes when the period ends: a stub stays of cases and advice requests (oversight counts them); records go whole. */
export function whatGoes(key: RetentionKey): string {
  if (key === 'record') return 'The record, its entries and its files are deleted.';
  return 'The report, messages, notes and files are deleted. A record with no content stays (its reference, command, category, outcome and dates), so the oversight figures do not change.';
}

export interface RuleValues {
  choice: 'keep' | 'months' | '';
  months: string;
}

/** The form's checks, in the GOV.UK words; the server makes the same ones (1 to RETENTION_MONTHS_MAX, whole). */
export function validateRule(v: RuleValues): FieldError[] {
  if (v.choice === '') return [{ field: 'period', message: 'Select how long to keep them' }];
  if (v.choice === 'keep') return [];
  const text = v.months.trim();
  if (text === '') return [{ field: 'months', message: 'Enter the number of months' }];
  if (!/^[0-9]+$/.test(text)) return [{ field: 'months', message: 'The number of months must be a whole number, like 12' }];
  const n = Number(text);
  if (n < 1) return [{ field: 'months', message: 'The number of months must be 1 or more' }];
  if (n > RETENTION_MONTHS_MAX) return [{ field: 'months', message: `The number of months must be ${RETENTION_MONTHS_MAX} or fewer` }];
  return [];
}
