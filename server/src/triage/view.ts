// One case as a triage user sees it: only the user's own key wraps, identity
// only where the user may see it.
import { caseAttachments } from '../attachments/repository.ts';
import type { Kysely } from 'kysely';
import type { CaseStatus, OutcomeCode, ReportMode } from '../../../shared/src/api/domain.ts';
import type { StaffCaseView } from '../../../shared/src/api/staff.ts';
import { dueDates, NEVER_DUE, todayInLondon } from '../../../shared/src/domain/clock.ts';
import type { Principal } from '../auth/repository.ts';
import { clockStart, messages } from '../case/repository.ts';
import { staffInvitations, staffTrail } from '../survey/service.ts';
import type { Database } from '../db/database.ts';
import { auditIn, type AuditContext } from '../audit/log.ts';
import type { Access } from './access.ts';
import { conflictOf, internalKeyWrapOf, labelOf, notesOf, readMarkerOf, staffName } from './repository.ts';
import { referralOf } from './referral.ts';
import { caseHolders } from './wraps.ts';
import { caseRecord } from '../records/service.ts';

export async function caseDetail(db: Kysely<Database>, p: Principal, a: Access, today: string = todayInLondon()): Promise<StaffCaseView> {
  const { row } = a;
  const [hist, msgs, notes, internal, readSeq, conflict, category, unit, team, assignee, keyed, referral] = await Promise.all([
    staffTrail(db, row.id),
    messages(db, row.id),
    notesOf(db, row.id),
    internalKeyWrapOf(db, row.id, p.id),
    readMarkerOf(db, row.id, p.id),
    conflictOf(db, row.id, p.id),
    labelOf(db, 'categories', row.category_id),
    labelOf(db, 'units', row.unit_id),
    labelOf(db, 'teams', row.team_id),
    row.assigned_to ? staffName(db, row.assigned_to) : undefined,
    caseHolders(db, row.id),
    referralOf(db, p, row.id),
  ]);
  const record = await caseRecord(db, row.id);
  const files = await caseAttachments(db, row.id);
  const view: StaffCaseView = {
    caseRef: row.case_ref,
    kind: row.kind,
    status: row.status as CaseStatus,
    history: hist,
    survey: await staffInvitations(db, row, hist, today),
    mode: row.mode as ReportMode,
    category: row.category_id === null ? null : category ?? { id: row.category_id, label: row.category_id },
    unit,
    team: team ?? { id: row.team_id, label: row.team_id },
    receivedOn: row.received_on,
    due: dueDates(clockStart(row)),
    assignedTo: assignee ?? null,
    reporterPk: row.reporter_pk,
    welfare: { requestedOn: row.welfare_on, offeredOn: row.support_offered_on },
    keyWrap: a.keyWrap,
    messages: msgs.map((m) => ({
      id: m.id, from: m.sender, on: m.on, nonce: m.nonce, ct: m.ct, read: m.sender === 'triage' || Number(m.n) <= readSeq,
    })),
    notes: notes.map((n) => ({
      id: n.id, on: n.on, nonce: n.nonce, ct: n.ct, author: { id: n.author_id, displayName: n.display_name ?? n.author_id },
    })),
    attachments: files,
    conflict: conflict && !conflict.knowsPeople ? 'none' : 'undeclared',
    holders: keyed.holders,
    recused: keyed.recused,
  };
  if (referral) view.referral = referral;
  if (record) view.record = record;
  if (row.report_nonce !== null && row.report_ct !== null) view.report = { nonce: row.report_nonce, ct: row.report_ct };
  if (row.advice_nonce !== null && row.advice_ct !== null) view.advice = { nonce: row.advice_nonce, ct: row.advice_ct };
  if (row.converted_on !== null) view.convertedOn = row.converted_on;
  if (row.kind === 'advice' && row.next_due_on !== null && row.next_due_on < NEVER_DUE) view.adviceDue = row.next_due_on;
  if (row.outcome !== null) view.outcome = row.outcome as OutcomeCode;
  if (internal) view.internalKeyWrap = internal;
  if (a.seesIdentity && a.identityWrap && row.identity_nonce && row.identity_ct) {
    view.identity = { nonce: row.identity_nonce, ct: row.identity_ct };
    view.identityWrap = a.identityWrap;
  }
  return view;
}

/**
 * Opening a case: the view is read and its case.open entry appended in one transaction (the entry
 * last, see appendAuditIn), so no view is handed out without its entry committed.
 */
export async function openCaseView(ctx: AuditContext & { db: Kysely<Database>; today: () => string }, p: Principal, a: Access): Promise<StaffCaseView> {
  return ctx.db.transaction().execute(async (tx) => {
    const view = await caseDetail(tx, p, a, ctx.today());
    await auditIn(ctx, tx, { actor: p.id, action: 'case.open', caseRef: a.row.case_ref });
    return view;
  });
}
