// The inbox: cases of the user's teams for which the user holds a case-key
// wrap (a recused officer's wraps are gone, so the case drops out). Ordered
// most overdue first (earliest open due date), then newest, with a keyset
// cursor over (next_due_on, received_on, id).
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import type { InboxCase, InboxFilters, InboxPage } from '../../../shared/src/api/staff.ts';
import { clockFor, daysBetween, dueDates } from '../../../shared/src/domain/clock.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import type { Principal } from '../auth/repository.ts';
import { inboxRows, unreadCounts } from './repository.ts';

type Cursor = [string, string, number];

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

const MAX_ID = 2 ** 31 - 1;
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

function decodeCursor(s: string): Cursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    // Checked in full before it reaches SQL: PostgreSQL answers a NUL byte or an id beyond int4 with an error (500).
    if (Array.isArray(v) && v.length === 3 && isDay(v[0]) && isDay(v[1]) && Number.isInteger(v[2]) && v[2] >= 1 && v[2] <= MAX_ID) {
      return v as Cursor;
    }
  } catch {
    // fall through
  }
  throw new ApiError('invalid_request');
}

export async function inbox(ctx: AppContext, p: Principal, f: InboxFilters): Promise<InboxPage> {
  const teams = p.teams.map((t) => t.id);
  if (teams.length === 0) return { cases: [], next: null };
  const today = ctx.today();
  const limit = f.limit ? Number(f.limit) : 25;
  const rows = await inboxRows(ctx.db, p.id, teams, {
    ...(f.status ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.assigned === 'me' ? { assignedTo: p.id } : {}),
    ...(f.overdue === 'true' ? { dueBefore: today } : {}),
    ...(f.cursor ? { after: decodeCursor(f.cursor) } : {}),
  }, limit + 1);
  const page = rows.slice(0, limit);
  const unread = await unreadCounts(ctx.db, p.id, page.map((r) => r.id));
  const cases: InboxCase[] = page.map((r) => {
    const clock = clockFor(r.received_on, r.status);
    return {
      caseRef: r.case_ref,
      status: r.status as CaseStatus,
      category: { id: r.category_id, label: r.category_label },
      unit: r.unit_id && r.unit_label ? { id: r.unit_id, label: r.unit_label } : null,
      team: { id: r.team_id, label: r.team_label },
      receivedOn: r.received_on,
      due: dueDates(r.received_on),
      clock: { kind: clock.kind, days: clock.kind === null ? 0 : daysBetween(today, clock.due) },
      assignedTo: r.assigned_to ? { id: r.assigned_to, displayName: r.assignee_name ?? r.assigned_to } : null,
      unread: unread.get(r.id) ?? 0,
    };
  });
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? encodeCursor([last.next_due_on ?? '', last.received_on, last.id]) : null;
  return { cases, next };
}
