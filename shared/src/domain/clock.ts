// The case clocks, written once for server and browser: acknowledge by day 7,
// feedback by month 3 (EU Directive 2019/1937 Art 9). Reporter-side dates are
// kept to the day in Europe/London: a precise time could be matched against
// door or login logs.
export const ACKNOWLEDGE_DAYS = 7;
export const FEEDBACK_MONTHS = 3;
/** An advice request (asked before any report) is answered within 7 days of each unanswered question. */
export const ADVICE_REPLY_DAYS = 7;

const london = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

let last = { minute: Number.NaN, day: '' };

/**
 * The day in London. Asked several times per request (rate-limit keys, the status check), so the
 * answer is kept for the current UTC minute: London's offset from UTC is a whole hour, so its day
 * never changes inside a UTC minute.
 */
export const todayInLondon = (now: Date = new Date()): string => {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== last.minute) last = { minute, day: london.format(now) };
  return last.day;
};

function parse(day: string): { y: number; m: number; d: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

const fmt = (date: Date): string => date.toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  const { y, m, d } = parse(day);
  return fmt(new Date(Date.UTC(y, m - 1, d + n)));
}

/** Calendar months, clamped to the month's last day (31 Nov → 30 Nov). */
export function addMonths(day: string, n: number): string {
  const { y, m, d } = parse(day);
  const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return fmt(new Date(Date.UTC(y, m - 1 + n, Math.min(d, lastDay))));
}

export interface DueDates {
  acknowledge: string;
  feedback: string;
}

/** The two promises made to the reporter, from the day the report was received. */
export const dueDates = (receivedOn: string): DueDates => ({
  acknowledge: addDays(receivedOn, ACKNOWLEDGE_DAYS),
  feedback: addMonths(receivedOn, FEEDBACK_MONTHS),
});

/** Never-due marker for closed cases: sorts after every real date, so the inbox index needs no NULL handling. */
export const NEVER_DUE = '9999-12-31';

/**
 * Due marker for a closed case the reporter wrote on since (e.g. victimisation after closure):
 * sorts before every real date, so it heads the team's open work until someone answers or reopens.
 */
export const ATTENTION_DUE = '0000-01-01';

export type ClockKind = 'acknowledge' | 'feedback' | 'advice' | null;

/** The day a reply to an advice question asked on `askedOn` is due. */
export const adviceDue = (askedOn: string): string => addDays(askedOn, ADVICE_REPLY_DAYS);

/** The open clock for a status: acknowledge by day 7 while received, feedback by month 3 until closed. */
export function clockFor(receivedOn: string, status: string): { kind: ClockKind; due: string } {
  if (status === 'closed') return { kind: null, due: NEVER_DUE };
  const due = dueDates(receivedOn);
  if (status === 'received') return { kind: 'acknowledge', due: due.acknowledge };
  return { kind: 'feedback', due: due.feedback };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The promises in words, for the pages that make them ("within 7 days", "within 3 months"). */
export const ACKNOWLEDGE_WITHIN = `${ACKNOWLEDGE_DAYS} days`;
export const FEEDBACK_WITHIN = `${FEEDBACK_MONTHS} months`;
export const ADVICE_WITHIN = `${ADVICE_REPLY_DAYS} days`;
