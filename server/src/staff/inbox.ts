// The inbox: cases of the user's teams for which the user holds a case-key
// wrap (a recused officer's wraps are gone, so the case drops out). Ordered
// most overdue first (earliest open due date), then newest, with a keyset
// cursor over (next_due_on, received_on, id), which index cases_inbox serves.
import type { Kysely } from 'kysely';
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import type { InboxCase, InboxFilters, InboxPage } from '../../../shared/src/api/staff.ts';
import type { Database } from '../db/database.ts';
import { addDays, addMonths, clockFor, daysBetween } from '../db/days.ts';
import { ApiError } from '../plugins/errors.ts';
import type { Principal } from './accounts.ts';

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

export async function inbox(db: Kysely<Database>, p: Principal, f: InboxFilters, today: string): Promise<InboxPage> {
  const teams = p.teams.map((t) => t.id);
  if (teams.length === 0) return { cases: [], next: null };
  const limit = f.limit ? Number(f.limit) : 25;
  let q = db.selectFrom('cases')
    .innerJoin('categories', 'categories.id', 'cases.category_id')
    .innerJoin('teams', 'teams.id', 'cases.team_id')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .leftJoin('staff as assignee', 'assignee.id', 'cases.assigned_to')
    .select([
      'cases.id', 'cases.case_ref', 'cases.status', 'cases.received_on', 'cases.next_due_on', 'cases.team_id', 'cases.unit_id',
      'cases.category_id', 'cases.assigned_to', 'categories.label as category_label', 'teams.label as team_label',
      'units.label as unit_label', 'assignee.display_name as assignee_name',
    ])
    .where('cases.team_id', 'in', teams)
    .where(({ exists, selectFrom }) => exists(selectFrom('case_keys').select('case_keys.case_id')
      .whereRef('case_keys.case_id', '=', 'cases.id')
      .where('case_keys.recipient_id', '=', p.id)
      .where('case_keys.kind', '=', 'staff')
      .where('case_keys.identity', '=', 0)))
    // Recused for this case: hidden even if a stray wrap exists.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_conflicts').select('case_conflicts.case_id')
      .whereRef('case_conflicts.case_id', '=', 'cases.id')
      .where('case_conflicts.staff_id', '=', p.id)
      .where('case_conflicts.knows_people', '=', 1))));
  if (f.status) q = q.where('cases.status', '=', f.status);
  if (f.category) q = q.where('cases.category_id', '=', f.category);
  if (f.unit) q = q.where('cases.unit_id', '=', f.unit);
  if (f.assigned === 'me') q = q.where('cases.assigned_to', '=', p.id);
  if (f.overdue === 'true') q = q.where('cases.next_due_on', '<', today);
  if (f.cursor) {
    const [due, on, id] = decodeCursor(f.cursor);
    q = q.where((eb) => eb.or([
      eb('cases.next_due_on', '>', due),
      eb.and([eb('cases.next_due_on', '=', due), eb('cases.received_on', '<', on)]),
      eb.and([eb('cases.next_due_on', '=', due), eb('cases.received_on', '=', on), eb('cases.id', '<', id)]),
    ]));
  }
  const rows = await q.orderBy('cases.next_due_on', 'asc').orderBy('cases.received_on', 'desc').orderBy('cases.id', 'desc')
    .limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const unread = await unreadCounts(db, p.id, page.map((r) => r.id));
  const cases: InboxCase[] = page.map((r) => {
    const clock = clockFor(r.received_on, r.status);
    return {
      caseRef: r.case_ref,
      status: r.status as CaseStatus,
      category: { id: r.category_id, label: r.category_label },
      unit: r.unit_id && r.unit_label ? { id: r.unit_id, label: r.unit_label } : null,
      team: { id: r.team_id, label: r.team_label },
      receivedOn: r.received_on,
      due: { acknowledge: addDays(r.received_on, 7), feedback: addMonths(r.received_on, 3) },
      clock: { kind: clock.kind, days: clock.kind === null ? 0 : daysBetween(today, clock.due) },
      assignedTo: r.assigned_to ? { id: r.assigned_to, displayName: r.assignee_name ?? r.assigned_to } : null,
      unread: unread.get(r.id) ?? 0,
    };
  });
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? encodeCursor([last.next_due_on ?? '', last.received_on, last.id]) : null;
  return { cases, next };
}

/** Reporter messages after this user's read marker, per case. */
export async function unreadCounts(db: Kysely<Database>, staffId: string, caseIds: number[]): Promise<Map<number, number>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.selectFrom('messages')
    .leftJoin('case_reads', (j) => j.onRef('case_reads.case_id', '=', 'messages.case_id').on('case_reads.staff_id', '=', staffId))
    .select(['messages.case_id', (eb) => eb.fn.countAll().as('n')])
    .where('messages.case_id', 'in', caseIds)
    .where('messages.sender', '=', 'reporter')
    .where((eb) => eb.or([eb('case_reads.read_seq', 'is', null), eb('messages.seq', '>', eb.ref('case_reads.read_seq'))]))
    .groupBy('messages.case_id')
    .execute();
  return new Map(rows.map((r) => [r.case_id, Number(r.n)]));
}
