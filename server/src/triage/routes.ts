// /api/v1/staff/cases/* and /teams/*: triage and lead only, behind one guard.
// HTTP only: access.ts decides who may open a case, service.ts what they may
// do to it; the repositories hold the SQL.
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  AssignBody, CaseDetail, ConflictBody, CoveredUnitsResponse, CreatedRecord, EmptyBody, InboxQuery, InboxResponse, InternalKeyBody,
  MembersResponse, ReferBody, ReferralsResponse, RefParams, RejectReferralBody, ReopenBody, SealedRecord, StatusBody, TeamParams, TeamsResponse,
} from '../../../shared/src/api/staff.ts';
import type { InboxPage, StaffRole } from '../../../shared/src/api/staff.ts';
import { principal, requireRole } from '../auth/session.ts';
import { auditIn, type AuditAction, type AuditDetail } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { absentBodyIsEmpty, type TypedPlugin } from '../plugins/typebox.ts';
import { access, incomingAccess, readAccess, type Access } from './access.ts';
import { inboxAnswer, units } from './inbox.ts';
import {
  assign, changeStatus, declareConflict, listTeams, markRead, postMessage, postNote, reopen, REOPENED_STATUS, setInternalKey,
  supportOffered, teamMembers, type Audit,
} from './service.ts';
import type { PendingReferral } from './referral-repository.ts';
import { confirmReferral, dismissAlert, refer, referralList, rejectReferral } from './referral.ts';
import { caseDetail, openCaseView } from './view.ts';
import { onAssigned, onReferralReturned, onReferred } from '../notifications/events.ts';
import { issueReceipt, sealedHashOf } from '../receipts/service.ts';

export const CASE_ROLES: readonly StaffRole[] = ['triage', 'lead'];

export const triageRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, CASE_ROLES));
  const db = ctx.db;
  const open = (req: FastifyRequest<{ Params: { ref: string } }>) => access(db, principal(req), req.params.ref);
  /** The action's audit entry, written inside the action's own transaction. */
  const entry = <T = void>(req: FastifyRequest, a: Access, action: AuditAction, detail: (r: T) => AuditDetail = () => ({})): Audit<T> =>
    (tx, r) => auditIn(ctx, tx, { actor: principal(req).id, action, caseRef: a.row.case_ref, detail: detail(r) });
  /** The action's staff notification, then its audit entry (kept last: see appendAuditIn), in the action's transaction. */
  const notifying = <T>(record: Audit<T>, notice: (tx: Parameters<Audit<T>>[0], r: T) => Promise<void>): Audit<T> =>
    async (tx, r) => { await notice(tx, r); await record(tx, r); };

  app.get('/cases', { schema: { querystring: InboxQuery, response: { 200: InboxResponse } } }, async (req, reply) => {
    // Bytes serialised by this route's response schema (kept between requests: triage/inbox-cache.ts); JSON sent as is.
    const body = await inboxAnswer(ctx, principal(req), req.query, (page) => reply.serialize(page) as string);
    // The typed reply expects the page object; these are its serialised bytes, which Fastify sends as they are.
    return reply.type('application/json; charset=utf-8').send(body as unknown as InboxPage);
  });

  app.get('/units', { schema: { response: { 200: CoveredUnitsResponse } } }, async (req) => units(ctx, principal(req)));

  app.get('/cases/:ref', { schema: { params: RefParams, response: { 200: CaseDetail } } }, async (req) => {
    const p = principal(req);
    // The case's team, or the receiving team of a pending referral (who must open it to confirm).
    const a = await readAccess(db, p, req.params.ref);
    // HEAD (which Fastify answers with this handler) shows nothing, so it is not an opening.
    return req.method === 'GET' ? openCaseView(ctx, p, a) : caseDetail(db, p, a, ctx.today());
  });

  app.post('/cases/:ref/conflict', { schema: { params: RefParams, body: ConflictBody } }, async (req, reply) => {
    const p = principal(req);
    const a = await open(req);
    const record = req.body.knowsPeople
      ? notifying(entry<string | null>(req, a, 'case.recusal', (assignee) => ({ assignedTo: assignee })),
        (tx, assignee) => onAssigned(tx, assignee, p.id, ctx.now()))
      : entry<string | null>(req, a, 'case.conflict', () => ({ knowsPeople: false }));
    await declareConflict(db, a, p.id, req.body.knowsPeople, ctx.today(), record);
    return reply.code(204).send();
  });

  app.post('/cases/:ref/internal-key', { schema: { params: RefParams, body: InternalKeyBody } }, async (req, reply) => {
    const p = principal(req);
    const a = await open(req);
    await setInternalKey(db, a, p.id, req.body, entry<number>(req, a, 'case.internal_key', (n) => ({ wraps: n })));
    return reply.code(204).send();
  });

  // With a message (closing needs one), the message is filed like any other to the reporter: 201 with its receipt.
  app.post('/cases/:ref/status', { schema: { params: RefParams, body: StatusBody, response: { 201: CreatedRecord, 204: Type.Null() } }, bodyLimit: 128 * 1024 },
    async (req, reply) => {
      const a = await open(req);
      const on = ctx.today();
      await changeStatus(db, a, req.body, on,
        entry(req, a, 'case.status', () => ({ from: a.row.status, to: req.body.status, outcome: req.body.outcome ?? null })), principal(req).id);
      const m = req.body.message;
      if (!m) return reply.code(204).send(null);
      // Signed after the commit, as for POST /messages: the same kind, the same bytes, the same day.
      const receipt = issueReceipt(ctx.serverKeys, { kind: 'message', reference: a.row.case_ref, sealedHash: sealedHashOf(m), day: on });
      return reply.code(201).send({ id: m.id, on, receipt });
    });

  app.post('/cases/:ref/messages', { schema: { params: RefParams, body: SealedRecord, response: { 201: CreatedRecord } }, bodyLimit: 128 * 1024 },
    async (req, reply) => {
      const a = await open(req);
      const on = ctx.today();
      await postMessage(db, a, req.body, on, entry(req, a, 'case.message', () => ({ id: req.body.id })));
      // A message to the reporter is filed with the case like theirs: the same receipt, after the commit.
      const receipt = issueReceipt(ctx.serverKeys, { kind: 'message', reference: a.row.case_ref, sealedHash: sealedHashOf(req.body), day: on });
      return reply.code(201).send({ id: req.body.id, on, receipt });
    });

  // Support (welfare contacts, networks, helplines) was offered to the reporter: a dated fact and its entry.
  app.post('/cases/:ref/support-offered', { schema: { params: RefParams, body: EmptyBody }, preValidation: absentBodyIsEmpty }, async (req, reply) => {
    const a = await open(req);
    await supportOffered(db, a, ctx.today(), entry(req, a, 'case.support_offered', () => ({ welfareRequested: a.row.welfare_on !== null })));
    return reply.code(204).send();
  });

  // Body optional: `{}` or nothing at all.
  app.post('/cases/:ref/read', { schema: { params: RefParams, body: EmptyBody }, preValidation: absentBodyIsEmpty }, async (req, reply) => {
    const p = principal(req);
    const a = await open(req);
    await markRead(db, a, p.id, entry(req, a, 'case.read'));
    return reply.code(204).send();
  });

  app.post('/cases/:ref/notes', { schema: { params: RefParams, body: SealedRecord, response: { 201: CreatedRecord } }, bodyLimit: 128 * 1024 },
    async (req, reply) => {
      const p = principal(req);
      const a = await open(req);
      const on = ctx.today();
      await postNote(db, a, p.id, req.body, on, entry(req, a, 'case.note', () => ({ id: req.body.id })));
      return reply.code(201).send({ id: req.body.id, on });
    });

  // Leads only (checked in the service). The reason arrives sealed as a note; the entry names its id only.
  app.post('/cases/:ref/reopen', { schema: { params: RefParams, body: ReopenBody }, bodyLimit: 128 * 1024 }, async (req, reply) => {
    const a = await open(req);
    await reopen(db, principal(req), a, req.body.note, ctx.today(),
      entry(req, a, 'case.reopen', () => ({ from: 'closed', to: REOPENED_STATUS, noteId: req.body.note.id })));
    return reply.code(204).send();
  });

  app.post('/cases/:ref/assign', { schema: { params: RefParams, body: AssignBody } }, async (req, reply) => {
    const a = await open(req);
    await assign(db, a, req.body, notifying(entry(req, a, 'case.assign', () => ({ staffId: req.body.staffId, kinds: req.body.wraps.map((w) => w.kind) })),
      (tx) => onAssigned(tx, req.body.staffId, principal(req).id, ctx.now())));
    return reply.code(204).send();
  });

  // Pending until a receiving browser confirms (below); the case stays here meanwhile.
  app.post('/cases/:ref/refer', { schema: { params: RefParams, body: ReferBody }, bodyLimit: 128 * 1024 }, async (req, reply) => {
    const a = await open(req);
    await refer(db, principal(req), a, req.body, ctx.today(), notifying(entry(req, a, 'case.refer', () => ({ from: a.row.team_id, to: req.body.teamId, pending: true })),
      (tx) => onReferred(tx, req.body.teamId, principal(req).id, ctx.now())));
    return reply.code(204).send();
  });

  app.get('/referrals', { schema: { response: { 200: ReferralsResponse } } }, async (req) => referralList(db, principal(req), ctx.today()));

  // A member of the receiving team whose browser opened the case with its wraps.
  app.post('/cases/:ref/referral/confirm', { schema: { params: RefParams, body: EmptyBody }, preValidation: absentBodyIsEmpty }, async (req, reply) => {
    const a = await incomingAccess(db, principal(req), req.params.ref);
    await confirmReferral(db, a, ctx.today(), entry<PendingReferral>(req, a, 'case.refer_confirm', (r) => ({ from: r.from_team_id, to: r.to_team_id })));
    return reply.code(204).send();
  });

  // ...or could not: a reason code only. The case stays with the sender, whose leads are told.
  app.post('/cases/:ref/referral/reject', { schema: { params: RefParams, body: RejectReferralBody } }, async (req, reply) => {
    const a = await incomingAccess(db, principal(req), req.params.ref);
    const record = entry<PendingReferral>(req, a, 'case.refer_reject', (r) => ({ from: r.from_team_id, to: r.to_team_id, reason: req.body.reason }));
    await rejectReferral(db, a, req.body.reason, ctx.today(),
      notifying(record, (tx, r) => onReferralReturned(tx, r.from_team_id, principal(req).id, ctx.now())));
    return reply.code(204).send();
  });

  // A lead of the case's team has seen that a referral came back.
  app.post('/cases/:ref/referral/dismiss', { schema: { params: RefParams, body: EmptyBody }, preValidation: absentBodyIsEmpty }, async (req, reply) => {
    const a = await open(req);
    await dismissAlert(db, principal(req), a, entry(req, a, 'case.referral_dismiss'));
    return reply.code(204).send();
  });

  app.get('/teams', { schema: { response: { 200: TeamsResponse } } }, async () => listTeams(db));

  app.get('/teams/:id/members', { schema: { params: TeamParams, response: { 200: MembersResponse } } },
    async (req) => teamMembers(db, req.params.id));
};
