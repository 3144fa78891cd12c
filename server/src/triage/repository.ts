// Triage storage: Kysely only. What a case holds for staff (wraps, notes,
// read markers, conflicts), the inbox query and the writes of case actions.
// The rules that decide who may do what live in access.ts, wraps.ts,
// service.ts and inbox.ts.
import type { Kysely, Transaction } from 'kysely';
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import type { CaseRow, Database } from '../db/database.ts';
import { nextN } from '../case/repository.ts';

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
    .where('notes.case_id', '=', caseId).orderBy('notes.n').execute();
}

export async function internalKeyWrapOf(db: Db, caseId: number, staffId: string): Promise<string | undefined> {
  const r = await db.selectFrom('internal_keys').select('sealed').where('case_id', '=', caseId).where('recipient_id', '=', staffId).executeTakeFirst();
  return r?.sealed;
}

export async function hasInternalKey(db: Db, caseId: number): Promise<boolean> {
  return (await db.selectFrom('internal_keys').select('case_id').where('case_id', '=', caseId).executeTakeFirst()) !== undefined;
}

export async function readMarkerOf(db: Db, caseId: number, staffId: string): Promise<number> {
  const r = await db.selectFrom('case_reads').select('read_n').where('case_id', '=', caseId).where('staff_id', '=', staffId).executeTakeFirst();
  return r?.read_n ?? 0;
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
  await tx.insertInto('messages').values({ case_id: caseId, n: await nextN(tx, caseId), id: m.id, sender: 'triage', on, nonce: m.nonce, ct: m.ct }).execute();
}

export async function insertNote(tx: Tx, caseId: number, authorId: string, n: { id: string; nonce: string; ct: string }, on: string): Promise<void> {
  await tx.insertInto('notes').values({ case_id: caseId, n: await nextN(tx, caseId), id: n.id, author_id: authorId, on, nonce: n.nonce, ct: n.ct }).execute();
}

/** Claims the status: true only if the case still has `from` (two officers cannot both move it). */
export async function claimStatus(tx: Tx, caseId: number, from: CaseStatus): Promise<boolean> {
  const res = await tx.updateTable('cases').set({ status: from }).where('id', '=', caseId).where('status', '=', from).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Moves the read marker to the case's latest message. */
export async function markAllRead(tx: Tx, caseId: number, staffId: string): Promise<void> {
  const last = await tx.selectFrom('messages').select((eb) => eb.fn.max('n').as('m')).where('case_id', '=', caseId).executeTakeFirst();
  const read_n = Number(last?.m ?? 0);
  await tx.insertInto('case_reads').values({ case_id: caseId, staff_id: staffId, read_n })
    .onConflict((oc) => oc.columns(['case_id', 'staff_id']).doUpdateSet({ read_n })).execute();
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
