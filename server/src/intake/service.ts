// Intake: what the reporter's browser needs before sealing, and accepting a
// sealed submission. Only routing metadata and ciphertext are stored.
import type { Kysely, Transaction } from 'kysely';
import { ATTACHMENT_LIMITS, LIMITS } from '../../../shared/src/api/domain.ts';
import type { IntakeInfo, RecipientsInfo, SubmitReport, SubmitReportResult } from '../../../shared/src/api/schemas.ts';
import { insertCase, insertCaseIn, insertCasesAtOnce, insertCasesIn, newCaseRef, takenBy, type CaseInsert } from '../case/repository.ts';
import type { Database, NewCaseKey } from '../db/database.ts';
import { isPostgres, isStatementRefused, isUniqueViolation } from '../db/dialect.ts';
import { GroupCommit, ISOLATE } from '../db/group-commit.ts';
import type { CaseRow } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import { fromB64u } from '../../../shared/src/crypto/index.ts';
import { isUsablePublicKey } from '../usable-key.ts';
import { cachedTeamRecipients, type RecipientRow } from '../directory/repository.ts';
import type { ReferenceData } from './repository.ts';
import { cachedReference } from './reference-cache.ts';
import { routeReport, type RouteRequest } from '../../../shared/src/domain/routing.ts';
import { checkWraps, validateSubmission } from './validate.ts';
import { newCaseEventRows, onNewCase } from '../notifications/events.ts';
import { insertEvents } from '../notifications/repository.ts';
import { checkReportAttachments, linkReportAttachments } from '../attachments/service.ts';

type Db = Kysely<Database>;

export async function intakeInfo(db: Db): Promise<IntakeInfo> {
  const { ref } = await cachedReference(db);
  return {
    v: 2,
    categories: ref.categories,
    units: ref.units,
    teams: ref.teams,
    routing: { centralTeam: ref.centralTeam, commandPsu: Object.fromEntries(ref.commands.map((c) => [c.id, c.psuTeam])) },
    limits: {
      reportPaddedMax: LIMITS.reportPaddedMax,
      identityPaddedMax: LIMITS.identityPaddedMax,
      messagePaddedMax: LIMITS.messagePaddedMax,
      messageTextMax: LIMITS.messageTextMax,
      narrativeMax: LIMITS.narrativeMax,
      recipientsMax: LIMITS.recipientsMax,
      attachments: {
        filesPerReport: ATTACHMENT_LIMITS.filesPerReport,
        fileMax: ATTACHMENT_LIMITS.fileMax,
        cleanedFileMax: ATTACHMENT_LIMITS.cleanedFileMax,
        casePaddedMax: ATTACHMENT_LIMITS.casePaddedMax,
        filesPerCase: ATTACHMENT_LIMITS.filesPerCase,
      },
    },
  };
}

async function routed(db: Db, req: RouteRequest): Promise<{ ref: ReferenceData; team: string; recipients: readonly RecipientRow[] }> {
  const { ref, routing } = await cachedReference(db);
  const result = routeReport(req, routing);
  if (!result.ok) throw new ApiError(result.code);
  const recipients = await cachedTeamRecipients(db, result.team);
  if (!recipients.some((r) => r.kind === 'recovery')) throw new ApiError('service_unavailable');
  return { ref, team: result.team, recipients };
}

export async function recipientsFor(db: Db, req: RouteRequest): Promise<RecipientsInfo> {
  const { ref, team, recipients } = await routed(db, req);
  const label = ref.teams.find((t) => t.id === team)?.label ?? team;
  // The staff account behind an opaque id stays on the server.
  return { team: { id: team, label }, recipients: recipients.map(({ staffId: _s, ...r }) => r) };
}

/** A grouped submission: with notifyAt, its new-case notification (batch slot from that clock) joins it. */
export type IntakeInsert = CaseInsert & { notifyAt?: number };
export type CaseCommitter = GroupCommit<IntakeInsert, CaseRow>;

/**
 * Submissions arriving together share one durable commit, written with one INSERT per table when none
 * fails; their notifications too (one INSERT, from inputs kept per team: notifications/events.ts
 * newCaseEventRows), where each case's took four statements of its own inside the shared transaction.
 * On PostgreSQL a batch without files is one statement and no transaction (insertCasesAtOnce): the
 * cases, their wraps, history, reporter keys and outbox rows commit together in one round trip.
 */
export const caseCommitter = (db: Db): CaseCommitter => new GroupCommit(db, {
  atomic: async (handle, items) => {
    if (!isPostgres(handle) || items.some((c) => c.inTx)) return null;
    const notify = items.flatMap((c) => (c.notifyAt === undefined ? [] : [{ teamId: c.row.team_id, now: c.notifyAt }]));
    const events = notify.length > 0 ? await newCaseEventRows(db, notify, handle) : [];
    try {
      return await insertCasesAtOnce(handle, items, events);
    } catch (err) {
      // Refused by the database (a taken access hash, reporter key or reference): nothing was written,
      // so the batch runs again with a savepoint per case and only the culprit fails, as before.
      if (isStatementRefused(err)) return ISOLATE;
      throw err;
    }
  },
  one: async (tx, c) => {
    const r = await insertCaseIn(tx, c.row, c.keys, c.inTx);
    if (c.notifyAt !== undefined) await onNewCase(tx, r.team_id, c.notifyAt);
    return r;
  },
  many: async (tx, items) => {
    const rows = await insertCasesIn(tx, items);
    const notify = items.flatMap((c, i) => (c.notifyAt === undefined ? [] : [{ teamId: rows[i]!.team_id, now: c.notifyAt }]));
    const events = notify.length > 0 ? await newCaseEventRows(db, notify, tx) : [];
    // Bounded statements: SQLite allows 32766 parameters; an event row has 6.
    for (let k = 0; k < events.length; k += 1000) await insertEvents(tx, events.slice(k, k + 1000));
    return rows;
  },
});

/**
 * Stores a sealed report and answers only once it is committed. With `group`, the insert shares a
 * transaction with submissions arriving at the same moment (db/group-commit.ts); without, it has its own.
 * nowMs: the clock the new-case notification's batch slot is taken from (never stored itself).
 */
export async function submitReport(
  db: Db, body: SubmitReport, today: string, nowMs: number = Date.now(), group?: CaseCommitter,
  /** Runs in the case's own transaction, after it is in (records/service.ts links the record); never grouped. */
  link?: (tx: Transaction<Database>, row: CaseRow) => Promise<void>,
  /** A reference chosen beforehand (a private record's, which its receipts name); else a new random one. */
  fixedRef?: string,
): Promise<SubmitReportResult> {
  validateSubmission(body);
  checkReportAttachments(body.attachments);
  // The team answers by sealing to this key: a small-order one would let anyone open the answers.
  if (!isUsablePublicKey(fromB64u(body.reporterPk))) throw new ApiError('weak_key');
  const { team, recipients } = await routed(db, body);
  checkWraps(body.keys, recipients.map((r) => r.id));
  if (body.identityKeys) checkWraps(body.identityKeys, recipients.filter((r) => r.seesIdentity).map((r) => r.id));
  // A reporter key belongs to one case: a second case wrapping to someone else's key could be used
  // to pose as that reporter or to link their cases. (The retry of one submission is the access hash's.)
  // Enforced by the unique keys on cases.access_hash and reporter_keys, not by a read first: the insert
  // fails, and the catch below names which one was taken (the access hash first) with the same check
  // a read first would have made. A genuine submission saves a statement (a round trip on PostgreSQL).

  const byId = new Map(recipients.map((r) => [r.id, r]));
  // Wraps are stored under the staff account (what triage looks up); the recovery key keeps its own id.
  const wrap = (identity: number) => (k: { recipient: string; sealed: string }): Omit<NewCaseKey, 'case_id'> => ({
    recipient_id: byId.get(k.recipient)?.staffId ?? k.recipient,
    kind: byId.get(k.recipient)?.kind ?? 'staff',
    sealed: k.sealed,
    identity,
  });
  const keys = [...body.keys.map(wrap(0)), ...(body.identityKeys ?? []).map(wrap(1))];

  for (let attempt = 0; ; attempt++) {
    const caseRef = fixedRef ?? newCaseRef();
    try {
      const row = {
        case_ref: caseRef,
        access_hash: body.accessHash,
        reporter_pk: body.reporterPk,
        mode: body.mode,
        category_id: body.category,
        unit_id: body.unit ?? null,
        // avoidOwnUnit chose the team above and is not stored: it would say where the reporter works.
        team_id: team,
        status: 'received',
        received_on: today,
        outcome: null,
        report_nonce: body.report.nonce,
        report_ct: body.report.ct,
        identity_nonce: body.identity?.nonce ?? null,
        identity_ct: body.identity?.ct ?? null,
        reporter_key: body.reporterKey,
        reporter_identity_key: body.reporterIdentityKey ?? null,
      };
      // The new-case notification goes into the outbox in the case's own transaction.
      // Its files join it in the same transaction: the 201 means every chunk of each is stored.
      const inTx = async (tx: Transaction<Database>, r: CaseRow) => {
        if (link) await link(tx, r);
        await linkReportAttachments(tx, body.attachments, body.accessHash, r.id);
        await onNewCase(tx, r.team_id, nowMs);
      };
      if (group && !link) {
        const attach = body.attachments ? (tx: Transaction<Database>, r: CaseRow) => linkReportAttachments(tx, body.attachments, body.accessHash, r.id) : undefined;
        await group.run({ row, keys, ...(attach ? { inTx: attach } : {}), notifyAt: nowMs });
      } else {
        await insertCase(db, row, keys, inTx);
      }
      return { caseRef, receivedOn: today };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Two racing submissions with one token: the second loses here.
      const lost = await takenBy(db, body.accessHash, body.reporterPk);
      if (lost) throw new ApiError(lost);
      if (attempt >= 5 || fixedRef !== undefined) throw err; // caseRef collisions five times running: something else is wrong
    }
  }
}
