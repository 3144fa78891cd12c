// Triage storage: Kysely only. What a case holds for staff (wraps, notes,
// read markers, conflicts), the inbox query and the writes of case actions.
// The rules that decide who may do what live in access.ts, wraps.ts,
// service.ts and inbox.ts.
import type { Kysely, Transaction } from 'kysely';
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import type { CaseRow, Database } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Tx = Transaction<Database>;

export async function findCase(db: Db, ref: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_ref', '=', ref).executeTakeFirst();
}

/** Staff ids recused from this case (declared they know someone involved). */
export async function recusedOf(db: Db, caseId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('case_conflicts').select('staff_id')
    .where('case_id', '=', caseId).where('knows_people', '=', 1).execute();
  return new Set(rows.map((r) => r.staff_id));
}

export async function conflictOf(db: Db, caseId: number, staffId: string): Promise<{ knowsPeople: boolean } | undefined> {
  const r = await db.selectFrom('case_conflicts').select('knows_people')
    .where('case_id', '=', caseId).where('staff_id', '=', staffId).executeTakeFirst();
  return r ? { knowsPeople: r.knows_people === 1 } : undefined;
}

/** This staff member's own case-key and identity wraps. */
export async function staffWrapsOf(db: Db, caseId: number, staffId: string): Promise<{ key?: string; identity?: string }> {
  const wraps = await db.selectFrom('case_keys').select(['sealed', 'identity'])
    .where('case_id', '=', caseId).where('recipient_id', '=', staffId).where('kind', '=', 'staff').execute();
  const key = wraps.find((w) => w.identity === 0)?.sealed;
  const identity = wraps.find((w) => w.identity === 1)?.sealed;
  return { ...(key ? { key } : {}), ...(identity ? { identity } : {}) };
}

/** Who holds a case-key wrap (staff and recovery), with its kind. */
export async function caseKeyHolders(db: Db, caseId: number): Promise<{ id: string; kind: 'staff' | 'recovery' }[]> {
  const rows = await db.selectFrom('case_keys').select(['recipient_id', 'kind'])
    .where('case_id', '=', caseId).where('identity', '=', 0).execute();
  return rows.map((r) => ({ id: r.recipient_id, kind: r.kind as 'staff' | 'recovery' }));
}

export async function holdsCaseKey(db: Db, caseId: number, staffId: string): Promise<boolean> {
  const r = await db.selectFrom('case_keys').select('case_id')
    .where('case_id', '=', caseId).where('recipient_id', '=', staffId).where('identity', '=', 0).executeTakeFirst();
  return r !== undefined;
}

export async function notesOf(db: Db, caseId: number) {
  return db.selectFrom('notes').leftJoin('staff', 'staff.id', 'notes.author_id')
    .select(['notes.id', 'notes.on', 'notes.nonce', 'notes.ct', 'notes.author_id', 'staff.display_name'])
    .where('notes.case_id', '=', caseId).orderBy('notes.seq').execute();
}

export async function internalKeyWrapOf(db: Db, caseId: number, staffId: string): Promise<string | undefined> {
  const r = await db.selectFrom('internal_keys').select('sealed').where('case_id', '=', caseId).where('recipient_id', '=', staffId).executeTakeFirst();
  return r?.sealed;
}

export async function hasInternalKey(db: Db, caseId: number): Promise<boolean> {
  return (await db.selectFrom('internal_keys').select('case_id').where('case_id', '=', caseId).executeTakeFirst()) !== undefined;
}

export async function readMarkerOf(db: Db, caseId: number, staffId: string): Promise<number> {
  const r = await db.selectFrom('case_reads').select('read_seq').where('case_id', '=', caseId).where('staff_id', '=', staffId).executeTakeFirst();
  return r?.read_seq ?? 0;
}

export async function labelOf(db: Db, table: 'categories' | 'units' | 'teams', id: string | null): Promise<{ id: string; label: string } | null> {
  if (id === null) return null;
  const r = await db.selectFrom(table).select(['id', 'label']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, label: r.label } : null;
}

export async function staffName(db: Db, id: string): Promise<{ id: string; displayName: string } | undefined> {
  const r = await db.selectFrom('staff').select(['id', 'display_name']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, displayName: r.display_name } : undefined;
}

export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !== undefined;
}

export async function teams(db: Db): Promise<{ id: string; label: string }[]> {
  return db.selectFrom('teams').select(['id', 'label']).orderBy('id').execute();
}

// Writes inside an action's transaction

export async function insertTriageMessage(tx: Tx, caseId: number, m: { id: string; nonce: string; ct: string }, on: string): Promise<void> {
  await tx.insertInto('messages').values({ case_id: caseId, id: m.id, sender: 'triage', on, nonce: m.nonce, ct: m.ct }).execute();
}

export async function insertNote(tx: Tx, caseId: number, authorId: string, n: { id: string; nonce: string; ct: string }, on: string): Promise<void> {
  await tx.insertInto('notes').values({ case_id: caseId, id: n.id, author_id: authorId, on, nonce: n.nonce, ct: n.ct }).execute();
}

/** Claims the status: true only if the case still has `from` (two officers cannot both move it). */
export async function claimStatus(tx: Tx, caseId: number, from: CaseStatus): Promise<boolean> {
  const res = await tx.updateTable('cases').set({ status: from }).where('id', '=', caseId).where('status', '=', from).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Moves the read marker to the case's latest message. */
export async function markAllRead(tx: Tx, caseId: number, staffId: string): Promise<void> {
  const last = await tx.selectFrom('messages').select((eb) => eb.fn.max('seq').as('m')).where('case_id', '=', caseId).executeTakeFirst();
  const read_seq = Number(last?.m ?? 0);
  await tx.insertInto('case_reads').values({ case_id: caseId, staff_id: staffId, read_seq })
    .onConflict((oc) => oc.columns(['case_id', 'staff_id']).doUpdateSet({ read_seq })).execute();
}

export async function insertInternalKeys(tx: Tx, caseId: number, wraps: { recipient: string; sealed: string }[]): Promise<void> {
  await tx.insertInto('internal_keys').values(wraps.map((w) => ({ case_id: caseId, recipient_id: w.recipient, sealed: w.sealed }))).execute();
}

export async function recordConflict(tx: Tx, caseId: number, staffId: string, knowsPeople: boolean, on: string): Promise<void> {
  const flag = knowsPeople ? 1 : 0;
  await tx.insertInto('case_conflicts').values({ case_id: caseId, staff_id: staffId, knows_people: flag, on })
    .onConflict((oc) => oc.columns(['case_id', 'staff_id']).doUpdateSet({ knows_people: flag, on })).execute();
}

/** Every wrap (case, identity, internal) this staff member holds for the case. */
export async function deleteWrapsOf(tx: Tx, caseId: number, staffId: string): Promise<void> {
  await tx.deleteFrom('case_keys').where('case_id', '=', caseId).where('recipient_id', '=', staffId).where('kind', '=', 'staff').execute();
  await tx.deleteFrom('internal_keys').where('case_id', '=', caseId).where('recipient_id', '=', staffId).execute();
}

/** The team's lead with the lowest id who is neither `except` nor recused from the case. */
export async function firstFreeLead(tx: Tx, caseId: number, teamId: string, except: string): Promise<string | null> {
  const lead = await tx.selectFrom('team_members').select('staff_id')
    .where('team_id', '=', teamId).where('lead', '=', 1).where('staff_id', '!=', except)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_conflicts').select('case_conflicts.staff_id')
      .where('case_conflicts.case_id', '=', caseId).whereRef('case_conflicts.staff_id', '=', 'team_members.staff_id')
      .where('case_conflicts.knows_people', '=', 1))))
    .orderBy('staff_id').executeTakeFirst();
  return lead?.staff_id ?? null;
}

export async function setAssignee(tx: Tx, caseId: number, staffId: string | null): Promise<void> {
  await tx.updateTable('cases').set({ assigned_to: staffId }).where('id', '=', caseId).execute();
}

export async function moveToTeam(tx: Tx, caseId: number, teamId: string): Promise<void> {
  await tx.updateTable('cases').set({ team_id: teamId, assigned_to: null }).where('id', '=', caseId).execute();
}

/** Stores wraps; an existing wrap is never replaced (ON CONFLICT DO NOTHING), and a repeated one is a no-op. */
export async function insertWraps(tx: Tx, caseId: number, wraps: { recipient: string; kind: 'case' | 'identity' | 'internal'; sealed: string }[]): Promise<void> {
  for (const w of wraps) {
    if (w.kind === 'internal') {
      await tx.insertInto('internal_keys').values({ case_id: caseId, recipient_id: w.recipient, sealed: w.sealed })
        .onConflict((oc) => oc.columns(['case_id', 'recipient_id']).doNothing()).execute();
    } else {
      const identity = w.kind === 'identity' ? 1 : 0;
      await tx.insertInto('case_keys').values({ case_id: caseId, recipient_id: w.recipient, kind: 'staff', sealed: w.sealed, identity })
        .onConflict((oc) => oc.columns(['case_id', 'recipient_id', 'identity']).doNothing()).execute();
    }
  }
}

// The inbox

export interface InboxQueryFilters {
  status?: string;
  category?: string;
  unit?: string;
  assignedTo?: string;
  /** Cases whose open clock is due before this day. */
  dueBefore?: string;
  /** Keyset cursor: rows strictly after (next_due_on, received_on DESC, id DESC). */
  after?: [string, string, number];
}

/**
 * Cases of `teams` for which `staffId` holds a case-key wrap and is not recused, most overdue first,
 * then newest: the order index cases_inbox (team_id, next_due_on, received_on DESC, id DESC) serves.
 */
export async function inboxRows(db: Db, staffId: string, teamIds: string[], f: InboxQueryFilters, limit: number) {
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
    .where('cases.team_id', 'in', teamIds)
    .where(({ exists, selectFrom }) => exists(selectFrom('case_keys').select('case_keys.case_id')
      .whereRef('case_keys.case_id', '=', 'cases.id')
      .where('case_keys.recipient_id', '=', staffId)
      .where('case_keys.kind', '=', 'staff')
      .where('case_keys.identity', '=', 0)))
    // Recused for this case: hidden even if a stray wrap exists.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_conflicts').select('case_conflicts.case_id')
      .whereRef('case_conflicts.case_id', '=', 'cases.id')
      .where('case_conflicts.staff_id', '=', staffId)
      .where('case_conflicts.knows_people', '=', 1))));
  if (f.status) q = q.where('cases.status', '=', f.status);
  if (f.category) q = q.where('cases.category_id', '=', f.category);
  if (f.unit) q = q.where('cases.unit_id', '=', f.unit);
  if (f.assignedTo) q = q.where('cases.assigned_to', '=', f.assignedTo);
  if (f.dueBefore) q = q.where('cases.next_due_on', '<', f.dueBefore);
  if (f.after) {
    const [due, on, id] = f.after;
    q = q.where((eb) => eb.or([
      eb('cases.next_due_on', '>', due),
      eb.and([eb('cases.next_due_on', '=', due), eb('cases.received_on', '<', on)]),
      eb.and([eb('cases.next_due_on', '=', due), eb('cases.received_on', '=', on), eb('cases.id', '<', id)]),
    ]));
  }
  return q.orderBy('cases.next_due_on', 'asc').orderBy('cases.received_on', 'desc').orderBy('cases.id', 'desc')
    .limit(limit).execute();
}

/** Reporter messages after this user's read marker, per case. */
export async function unreadCounts(db: Db, staffId: string, caseIds: number[]): Promise<Map<number, number>> {
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
