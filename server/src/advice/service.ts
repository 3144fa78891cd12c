// Asking for advice before reporting (issue #14), and what a reporter may do on their own case
// besides writing: turn advice into a report, ask for a welfare contact. An advice request is a
// case row of kind 'advice': sealed like a report (a question under the case key, wrapped to the
// routed team and the recovery key), answered through the same channel, but with no category,
// no report, no assessment and no outcome until the reporter converts it.
import type { Kysely } from 'kysely';
import { LIMITS } from '../../../shared/src/api/domain.ts';
import type { ConvertAdvice, ConvertAdviceResult, RecipientsInfo, SubmitAdvice, SubmitReportResult } from '../../../shared/src/api/schemas.ts';
import { fromB64u } from '../../../shared/src/crypto/index.ts';
import { isUsablePublicKey } from '../usable-key.ts';
import { routeAdvice } from '../../../shared/src/domain/routing.ts';
import type { AuditContext } from '../audit/log.ts';
import { accessHashExists, convertToReport, type ConvertInput, flagWelfare, insertCase, newCaseRef, reporterKeyUsed } from '../case/repository.ts';
import type { CaseRow, Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { teamRecipients, type RecipientRow } from '../directory/repository.ts';
import { caseKeyHolders } from '../triage/repository.ts';
import { cachedReference } from '../intake/reference-cache.ts';
import { checkEnvelope, checkIdentity, checkWraps, decodeExact } from '../intake/validate.ts';
import { onNewAdvice, onNewCase, onWelfareRequest } from '../notifications/events.ts';
import { ApiError } from '../plugins/errors.ts';
import { categoryExists, unitExists } from './repository.ts';

type Db = Kysely<Database>;
type Ctx = AuditContext & { db: Db };

// No audit entry for a reporter's own step (as for a report or a reporter message): the audit
// log's global seq would place it between two timed staff entries. Its day is on the case row.

/** Wraps are stored under the staff account (what triage looks up); the recovery key keeps its own id. */
function storedWraps(recipients: RecipientRow[], wraps: { recipient: string; sealed: string }[]) {
  const byId = new Map(recipients.map((r) => [r.id, r]));
  return wraps.map((k) => ({ recipient_id: byId.get(k.recipient)?.staffId ?? k.recipient, kind: byId.get(k.recipient)?.kind ?? 'staff' as const, sealed: k.sealed }));
}

/** A team's label and current recipients (the recovery key among them, or the service is unavailable). */
async function caseTeam(db: Db, teamId: string): Promise<{ label: string; recipients: RecipientRow[] }> {
  const { ref } = await cachedReference(db);
  const recipients = await teamRecipients(db, teamId);
  if (!recipients.some((r) => r.kind === 'recovery')) throw new ApiError('service_unavailable');
  return { label: ref.teams.find((t) => t.id === teamId)?.label ?? teamId, recipients };
}

/**
 * Who a named conversion seals the identity to: the members of the case's team who may see identity
 * AND already hold this case's key (so not one who recused, whose wraps were deleted, nor one who
 * joined since and has not been given the case), and the recovery key, which every identity reaches.
 */
async function identityRecipients(db: Db, row: CaseRow): Promise<{ label: string; recipients: RecipientRow[] }> {
  const { label, recipients } = await caseTeam(db, row.team_id);
  const holders = new Set((await caseKeyHolders(db, row.id)).filter((h) => h.kind === 'staff').map((h) => h.id));
  return { label, recipients: recipients.filter((r) => r.seesIdentity && (r.kind === 'recovery' || (r.staffId !== null && holders.has(r.staffId)))) };
}

/** GET /case/recipients: the recipients the reporter's name is sealed to if they give it (identityRecipients). */
export async function caseRecipients(db: Db, row: CaseRow): Promise<RecipientsInfo> {
  const { label, recipients } = await identityRecipients(db, row);
  return { team: { id: row.team_id, label }, recipients: recipients.map(({ staffId: _s, ...r }) => r) };
}

async function adviceRouted(db: Db, command: string | undefined): Promise<{ team: string; label: string; recipients: RecipientRow[] }> {
  const { routing } = await cachedReference(db);
  const result = routeAdvice(command, routing);
  if (!result.ok) throw new ApiError(result.code);
  return { team: result.team, ...(await caseTeam(db, result.team)) };
}

/** Who an advice question to this command's PSU (or the central team) is wrapped to. */
export async function adviceRecipients(db: Db, command: string | undefined): Promise<RecipientsInfo> {
  const { team, label, recipients } = await adviceRouted(db, command);
  return { team: { id: team, label }, recipients: recipients.map(({ staffId: _s, ...r }) => r) };
}

export async function submitAdvice(ctx: Ctx, body: SubmitAdvice, today: string, nowMs: number): Promise<SubmitReportResult> {
  decodeExact(body.reporterPk, 32);
  decodeExact(body.accessHash, 32);
  decodeExact(body.reporterKey, 80);
  checkEnvelope(body.question, LIMITS.messagePaddedMax);
  for (const k of body.keys) decodeExact(k.sealed, 80);
  if (!isUsablePublicKey(fromB64u(body.reporterPk))) throw new ApiError('weak_key');
  const { team, recipients } = await adviceRouted(ctx.db, body.command);
  checkWraps(body.keys, recipients.map((r) => r.id));
  if (await accessHashExists(ctx.db, body.accessHash)) throw new ApiError('access_hash_taken');
  if (await reporterKeyUsed(ctx.db, body.reporterPk)) throw new ApiError('reporter_key_taken');
  const keys = storedWraps(recipients, body.keys).map((k) => ({ ...k, identity: 0 }));
  for (let attempt = 0; ; attempt++) {
    const caseRef = newCaseRef();
    try {
      await insertCase(ctx.db, {
        case_ref: caseRef, access_hash: body.accessHash, reporter_pk: body.reporterPk, mode: 'anonymous',
        kind: 'advice', category_id: null, unit_id: null, team_id: team, status: 'received', received_on: today, outcome: null,
        report_nonce: null, report_ct: null, advice_nonce: body.question.nonce, advice_ct: body.question.ct,
        identity_nonce: null, identity_ct: null, reporter_key: body.reporterKey, reporter_identity_key: null,
      }, keys, (tx, row: CaseRow) => onNewAdvice(tx, row.team_id, nowMs));
      return { caseRef, receivedOn: today };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (await accessHashExists(ctx.db, body.accessHash)) throw new ApiError('access_hash_taken');
      if (await reporterKeyUsed(ctx.db, body.reporterPk)) throw new ApiError('reporter_key_taken');
      if (attempt >= 5) throw err;
    }
  }
}

/**
 * The reporter turns their advice request into a report: the category (and unit) they now give,
 * and the report sealed under the same case key. The team stays the one they asked (its members
 * already hold the wraps and the thread); the report's clocks run from today.
 */
export async function convertAdvice(ctx: Ctx, row: CaseRow, body: ConvertAdvice, today: string, nowMs: number): Promise<ConvertAdviceResult> {
  checkEnvelope(body.report, LIMITS.reportPaddedMax);
  checkIdentity(body);
  if (row.kind !== 'advice') throw new ApiError('already_report');
  if (!(await categoryExists(ctx.db, body.category))) throw new ApiError('unknown_category');
  if (body.unit !== undefined && !(await unitExists(ctx.db, body.unit))) throw new ApiError('unknown_unit');
  let identity: ConvertInput['identity'];
  if (body.identity && body.identityKeys && body.reporterIdentityKey) {
    // As for a named report: the identity key goes to each recipient who may see it, recovery key included.
    const { recipients } = await identityRecipients(ctx.db, row);
    checkWraps(body.identityKeys, recipients.map((r) => r.id));
    identity = { ...body.identity, reporterKey: body.reporterIdentityKey, keys: storedWraps(recipients, body.identityKeys) };
  }
  await ctx.db.transaction().execute(async (tx) => {
    const done = await convertToReport(tx, row.id, {
      category: body.category, unit: body.unit ?? null, reportNonce: body.report.nonce, reportCt: body.report.ct, on: today,
      ...(identity ? { identity } : {}),
    });
    if (!done) throw new ApiError('already_report');
    await onNewCase(tx, row.team_id, nowMs);
  });
  return { caseRef: row.case_ref, convertedOn: today };
}

/** The reporter asks for a welfare contact: a flag the team sees, and a batched notification. Asking again changes nothing. */
export async function requestWelfare(ctx: Ctx, row: CaseRow, today: string, nowMs: number): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await flagWelfare(tx, row.id, today))) return;
    await onWelfareRequest(tx, row.id, nowMs);
  });
}
