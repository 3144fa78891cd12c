// One case as a triage user sees it: only the user's own key wraps, identity
// only where the user may see it. No wrap (never had one, or recused) = 403.
import type { Kysely } from 'kysely';
import type { CaseStatus, OutcomeCode, ReportMode } from '../../../shared/src/api/domain.ts';
import type { StaffCaseView } from '../../../shared/src/api/staff.ts';
import { history, messages } from '../case/repository.ts';
import type { CaseRow, Database } from '../db/database.ts';
import { addDays, addMonths } from '../db/days.ts';
import { ApiError } from '../plugins/errors.ts';
import type { Principal } from './accounts.ts';
import { caseHolders } from './case-wraps.ts';

type Db = Kysely<Database>;

export interface Access {
  row: CaseRow;
  keyWrap: string;
  identityWrap: string | null;
  seesIdentity: boolean;
}

/** The case if it belongs to one of the user's teams and the user holds its case-key wrap; else 403 (unknown refs alike). */
export async function access(db: Db, p: Principal, ref: string): Promise<Access> {
  const row = await db.selectFrom('cases').selectAll().where('case_ref', '=', ref).executeTakeFirst();
  const team = row ? p.teams.find((t) => t.id === row.team_id) : undefined;
  if (!row || !team) throw new ApiError('forbidden');
  // A recusal is final: a wrap that somehow reached a recused member opens nothing here.
  const recused = await db.selectFrom('case_conflicts').select('staff_id')
    .where('case_id', '=', row.id).where('staff_id', '=', p.id).where('knows_people', '=', 1).executeTakeFirst();
  if (recused) throw new ApiError('forbidden');
  const wraps = await db.selectFrom('case_keys').select(['sealed', 'identity'])
    .where('case_id', '=', row.id).where('recipient_id', '=', p.id).where('kind', '=', 'staff').execute();
  const keyWrap = wraps.find((w) => w.identity === 0)?.sealed;
  if (!keyWrap) throw new ApiError('forbidden');
  return { row, keyWrap, identityWrap: wraps.find((w) => w.identity === 1)?.sealed ?? null, seesIdentity: team.seesIdentity };
}

async function labelled(db: Db, table: 'categories' | 'units' | 'teams', id: string | null): Promise<{ id: string; label: string } | null> {
  if (id === null) return null;
  const r = await db.selectFrom(table).select(['id', 'label']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, label: r.label } : null;
}

export async function caseDetail(db: Db, p: Principal, a: Access): Promise<StaffCaseView> {
  const { row } = a;
  const [hist, msgs, notes, internal, read, conflict, category, unit, team, assignee, keyed] = await Promise.all([
    history(db, row.id),
    messages(db, row.id),
    db.selectFrom('notes').leftJoin('staff', 'staff.id', 'notes.author_id')
      .select(['notes.id', 'notes.on', 'notes.nonce', 'notes.ct', 'notes.author_id', 'staff.display_name'])
      .where('notes.case_id', '=', row.id).orderBy('notes.seq').execute(),
    db.selectFrom('internal_keys').select('sealed').where('case_id', '=', row.id).where('recipient_id', '=', p.id).executeTakeFirst(),
    db.selectFrom('case_reads').select('read_seq').where('case_id', '=', row.id).where('staff_id', '=', p.id).executeTakeFirst(),
    db.selectFrom('case_conflicts').select('knows_people').where('case_id', '=', row.id).where('staff_id', '=', p.id).executeTakeFirst(),
    labelled(db, 'categories', row.category_id),
    labelled(db, 'units', row.unit_id),
    labelled(db, 'teams', row.team_id),
    row.assigned_to ? db.selectFrom('staff').select(['id', 'display_name']).where('id', '=', row.assigned_to).executeTakeFirst() : undefined,
    caseHolders(db, row.id),
  ]);
  const readSeq = read?.read_seq ?? 0;
  const view: StaffCaseView = {
    caseRef: row.case_ref,
    status: row.status as CaseStatus,
    history: hist.map((h) => ({ status: h.status as CaseStatus, on: h.on })),
    mode: row.mode as ReportMode,
    category: category ?? { id: row.category_id, label: row.category_id },
    unit,
    team: team ?? { id: row.team_id, label: row.team_id },
    receivedOn: row.received_on,
    due: { acknowledge: addDays(row.received_on, 7), feedback: addMonths(row.received_on, 3) },
    assignedTo: assignee ? { id: assignee.id, displayName: assignee.display_name } : null,
    reporterPk: row.reporter_pk,
    report: { nonce: row.report_nonce, ct: row.report_ct },
    keyWrap: a.keyWrap,
    messages: msgs.map((m) => ({
      id: m.id, from: m.sender, on: m.on, nonce: m.nonce, ct: m.ct, read: m.sender === 'triage' || Number(m.seq) <= readSeq,
    })),
    notes: notes.map((n) => ({
      id: n.id, on: n.on, nonce: n.nonce, ct: n.ct, author: { id: n.author_id, displayName: n.display_name ?? n.author_id },
    })),
    conflict: conflict && conflict.knows_people === 0 ? 'none' : 'undeclared',
    holders: keyed.holders,
    recused: keyed.recused,
  };
  if (row.outcome !== null) view.outcome = row.outcome as OutcomeCode;
  if (internal) view.internalKeyWrap = internal.sealed;
  if (a.seesIdentity && a.identityWrap && row.identity_nonce && row.identity_ct) {
    view.identity = { nonce: row.identity_nonce, ct: row.identity_ct };
    view.identityWrap = a.identityWrap;
  }
  return view;
}
