// What a notification mail says: a fixed subject, what kind of thing happened
// and how many, and the sign-in link. Nothing of any case — no reference,
// category, unit, team, date or words — and nothing but ASCII, so the body
// goes as plain 7-bit text that any gateway or filter can read as it is.
import { KINDS, SUMMARY_LINES, type NotificationKind, type SummaryLine } from '../../../shared/src/api/notifications.ts';
import type { MailGroup } from './outbox.ts';

export const SUBJECTS: Record<MailGroup, string> = {
  work: 'Raising concerns: new work in your inbox',
  daily: 'Raising concerns: your daily summary',
  weekly: "Raising concerns: your team's weekly summary",
};

const INTRO: Record<MailGroup, string> = {
  work: 'There is new work for you in the raising-concerns portal.',
  daily: 'Your daily summary from the raising-concerns portal.',
  weekly: "Your team's weekly summary from the raising-concerns portal.",
};

function lineFor(key: string): string | null {
  if (key in KINDS) return KINDS[key as NotificationKind].line;
  if (key in SUMMARY_LINES) return SUMMARY_LINES[key as SummaryLine];
  return null;
}

// Mail order follows the registries, not the stored JSON.
const ORDER = [...Object.keys(KINDS), ...Object.keys(SUMMARY_LINES)];

export interface Rendered {
  subject: string;
  text: string;
}

export function render(group: MailGroup, counts: Record<string, number>, signInUrl: string): Rendered {
  const lines = ORDER.filter((k) => counts[k] !== undefined && lineFor(k) !== null).map((k) => `- ${lineFor(k)}: ${counts[k]}`);
  return {
    subject: SUBJECTS[group],
    text: [
      INTRO[group], '', ...lines, '',
      `Sign in to see it: ${signInUrl}`, '',
      'This message says nothing about any case, by design. Do not reply to it.', '',
    ].join('\n'),
  };
}

export function parseCounts(json: string): Record<string, number> {
  const out: Record<string, number> = {};
  const v = JSON.parse(json) as unknown;
  if (v && typeof v === 'object') for (const [k, n] of Object.entries(v)) if (typeof n === 'number') out[k] = n;
  return out;
}
