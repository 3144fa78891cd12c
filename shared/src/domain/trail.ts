// The case trail, written once for the reporter's follow-up page and the triage
// case page: the steps so far, each to the day, and the two promises (acknowledge
// by day 7, feedback by month 3: clock.ts) with whether each was kept.
import { addMonths, type DueDates } from './clock.ts';

export interface TrailEntry {
  status: string;
  on: string;
}

/** A status that counts as feedback: the case moved past assessment (as oversight counts it). */
export const FEEDBACK_STATUSES: readonly string[] = ['investigating', 'referred', 'closed'];

export type PromiseState =
  | { state: 'kept'; due: string; on: string }
  /** `on`: the day it was met late; absent while still unmet past its day. */
  | { state: 'broken'; due: string; on?: string }
  | { state: 'due'; due: string };

export interface Promises {
  acknowledge: PromiseState;
  feedback: PromiseState;
}

/**
 * Where the running clocks start in the history: the last reopening (an entry after a 'closed'
 * one), else receipt. A reopening restarts both clocks (cases.clock_from), so earlier steps no
 * longer answer them.
 */
export function clockIndex(history: readonly TrailEntry[]): number {
  let start = 0;
  history.forEach((h, i) => { if (i > 0 && history[i - 1]!.status === 'closed') start = i; });
  return start;
}

function judge(due: string, metOn: string | undefined, today: string): PromiseState {
  if (metOn !== undefined) return metOn <= due ? { state: 'kept', due, on: metOn } : { state: 'broken', due, on: metOn };
  return today > due ? { state: 'broken', due } : { state: 'due', due };
}

/**
 * The two promises as they stand on `today`. `due` are the case's due dates (from its clock start).
 * Acknowledged = any step after receipt; feedback = a FEEDBACK_STATUSES step. A promise not met
 * by the end of its day is broken; met later, it stays broken (late).
 */
export function promises(history: readonly TrailEntry[], due: DueDates, today: string): Promises {
  const since = history.slice(clockIndex(history));
  const ack = since.find((h) => h.status !== 'received')?.on;
  const fed = since.find((h) => FEEDBACK_STATUSES.includes(h.status))?.on;
  return { acknowledge: judge(due.acknowledge, ack, today), feedback: judge(due.feedback, fed, today) };
}


// ---- "Did you feel listened to?" ----

/** The reporter is asked again once a case has been open this long. */
export const SURVEY_OPEN_MONTHS = 3;

export type InvitationKind = 'closed' | 'open';

export interface Invitation {
  /** `closed-<k>` for the k-th closing (a reopened case closed again asks again), `open-3m` once. */
  id: string;
  kind: InvitationKind;
  /** The day the invitation was made. */
  on: string;
}

export const INVITATION_PATTERN = '^(closed-[1-9][0-9]{0,2}|open-3m)$';

/** The two statements, answered on a 5-point scale (1 strongly disagree … 5 strongly agree). */
export const SURVEY_QUESTIONS = { listened: 'I felt listened to', supported: 'I felt supported' } as const;
export const SCALE_WORDS = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'] as const;
export const SCALE_MIN = 1;
export const SCALE_MAX = 5;
/** Scores counted as "felt listened to / supported" in oversight: agree or strongly agree. */
export const AGREES = (score: number): boolean => score >= 4;

/**
 * The invitations a case has made by `today`: one at each closing, and one when it has been open
 * for three months since receipt (only if it was not closed on that day).
 */
export function invitations(history: readonly TrailEntry[], receivedOn: string, today: string): Invitation[] {
  const out: Invitation[] = [];
  let k = 0;
  for (const h of history) if (h.status === 'closed' && h.on <= today) out.push({ id: `closed-${++k}`, kind: 'closed', on: h.on });
  const day = addMonths(receivedOn, SURVEY_OPEN_MONTHS);
  if (today >= day) {
    let statusThen = 'received';
    for (const h of history) if (h.on <= day) statusThen = h.status;
    if (statusThen !== 'closed') out.push({ id: 'open-3m', kind: 'open', on: day });
  }
  return out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** An optional comment of at most this many characters, padded to at most this many bytes. */
export const SURVEY_COMMENT_MAX = 2000;
export const SURVEY_PADDED_MAX = 8192;
