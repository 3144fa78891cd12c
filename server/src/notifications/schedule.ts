// When a notification may go out. Pure functions of a clock in milliseconds,
// so tests move time instead of waiting. Hours are Europe/London, like every
// other date in the portal; slots are whole multiples of the batch length.
//
// Reporter-caused events are only ever given a slot strictly after "now": a
// mail never goes out at the moment of a submission, and the stored slot is
// the finest time kept about it.
import type { Delivery } from '../../../shared/src/api/notifications.ts';
import { todayInLondon } from '../../../shared/src/domain/clock.ts';

const HOUR = 3_600_000;

export interface Schedule {
  /** Batch length in minutes; divides a day (60 = at each whole hour). */
  batchMinutes: number;
  /** Sending window in London whole hours, [start, end); start === end or 0–24 = all day. */
  windowStart: number;
  windowEnd: number;
}

const hourFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });

function londonParts(ms: number): { hour: number; weekday: string } {
  const parts = hourFmt.formatToParts(new Date(ms));
  return {
    hour: Number(parts.find((p) => p.type === 'hour')?.value ?? 0),
    weekday: parts.find((p) => p.type === 'weekday')?.value ?? '',
  };
}

export const londonDay = (ms: number): string => todayInLondon(new Date(ms));

/**
 * The day of `ms` as a time: noon UTC of its London date. A settled mail keeps only this, so a
 * mail row kept for its 'sent' marker says on which day someone was mailed, not at which slot.
 */
export const dayMark = (ms: number): number => Date.parse(`${londonDay(ms)}T12:00:00Z`);

export function inWindow(ms: number, s: Schedule): boolean {
  const { windowStart: a, windowEnd: b } = s;
  if (a === b || (a === 0 && b === 24)) return true;
  const h = londonParts(ms).hour;
  return a < b ? h >= a && h < b : h >= a || h < b;
}

const ceilHour = (ms: number): number => Math.ceil(ms / HOUR) * HOUR;

/** The first whole hour at or after `from` that satisfies `ok` (bounded: eight days of hours). */
function nextHour(from: number, ok: (ms: number) => boolean): number {
  let t = ceilHour(from);
  for (let i = 0; i < 24 * 8; i++, t += HOUR) if (ok(t)) return t;
  throw new Error('no slot in eight days');
}

/** `ms` if it falls in the sending window, else the window's next opening. */
export function intoWindow(ms: number, s: Schedule): number {
  if (inWindow(ms, s)) return ms;
  return nextHour(ms, (t) => londonParts(t).hour === s.windowStart);
}

/** The next batch slot strictly after `now` (never now itself), moved into the window. */
export function nextBatchSlot(now: number, s: Schedule): number {
  const len = s.batchMinutes * 60_000;
  return intoWindow((Math.floor(now / len) + 1) * len, s);
}

/** The next opening of the window strictly after `now`: the daily digest. */
export const nextDailySlot = (now: number, s: Schedule): number =>
  nextHour(now + 1, (t) => londonParts(t).hour === (inWindowAllDay(s) ? 0 : s.windowStart));

/** Mondays at the window's opening: the leads' weekly summary. */
export const nextWeeklySlot = (now: number, s: Schedule): number =>
  nextHour(now + 1, (t) => { const p = londonParts(t); return p.weekday === 'Mon' && p.hour === (inWindowAllDay(s) ? 0 : s.windowStart); });

function inWindowAllDay(s: Schedule): boolean {
  return s.windowStart === s.windowEnd || (s.windowStart === 0 && s.windowEnd === 24);
}

/** Whether today's digest hour has come (the daily and weekly jobs run once after it). */
export function digestHourReached(now: number, s: Schedule): boolean {
  return inWindowAllDay(s) || londonParts(now).hour >= s.windowStart;
}

export const isMonday = (now: number): boolean => londonParts(now).weekday === 'Mon';

/** When an event delivered this way goes out; null = not at all. */
export function sendAt(delivery: Delivery, now: number, s: Schedule): number | null {
  switch (delivery) {
    case 'immediate': return intoWindow(now, s);
    case 'batch': return nextBatchSlot(now, s);
    case 'daily': return nextDailySlot(now, s);
    case 'weekly': return nextWeeklySlot(now, s);
    case 'off': return null;
  }
}
