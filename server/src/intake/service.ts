// Intake: what the reporter's browser needs before sealing, and accepting a
// sealed submission. Only routing metadata and ciphertext are stored.
import type { Kysely } from 'kysely';
import { LIMITS } from '../../../shared/src/api/domain.ts';
import type { IntakeInfo, RecipientsInfo, SubmitReport, SubmitReportResult } from '../../../shared/src/api/schemas.ts';
import { insertCase, accessHashExists, newCaseRef } from '../case/repository.ts';
import type { Database, NewCaseKey } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { ApiError } from '../plugins/errors.ts';
import { teamRecipients, type RecipientRow } from '../directory/repository.ts';
import { loadReference, routingData, type ReferenceData } from './repository.ts';
import { routeReport, type RouteRequest } from '../../../shared/src/domain/routing.ts';
import { checkWraps, validateSubmission } from './validate.ts';
import { onNewCase } from '../notifications/events.ts';

type Db = Kysely<Database>;

export async function intakeInfo(db: Db): Promise<IntakeInfo> {
  const ref = await loadReference(db);
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
    },
  };
}

async function routed(db: Db, req: RouteRequest): Promise<{ ref: ReferenceData; team: string; recipients: RecipientRow[] }> {
  const ref = await loadReference(db);
  const result = routeReport(req, routingData(ref));
  if (!result.ok) throw new ApiError(result.code);
  const recipients = await teamRecipients(db, result.team);
  if (!recipients.some((r) => r.kind === 'recovery')) throw new ApiError('service_unavailable');
  return { ref, team: result.team, recipients };
}

export async function recipientsFor(db: Db, req: RouteRequest): Promise<RecipientsInfo> {
  const { ref, team, recipients } = await routed(db, req);
  const label = ref.teams.find((t) => t.id === team)?.label ?? team;
  // The staff account behind an opaque id stays on the server.
  return { team: { id: team, label }, recipients: recipients.map(({ staffId: _s, ...r }) => r) };
}

/** nowMs: the clock the new-case notification's batch slot is taken from (never stored itself). */
export async function submitReport(db: Db, body: SubmitReport, today: string, nowMs: number = Date.now()): Promise<SubmitReportResult> {
  validateSubmission(body);
  const { team, recipients } = await routed(db, body);
  checkWraps(body.keys, recipients.map((r) => r.id));
  if (body.identityKeys) checkWraps(body.identityKeys, recipients.filter((r) => r.seesIdentity).map((r) => r.id));
  if (await accessHashExists(db, body.accessHash)) throw new ApiError('access_hash_taken');

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
    const caseRef = newCaseRef();
    try {
      await insertCase(db, {
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
      }, keys, (tx, row) => onNewCase(tx, row.team_id, nowMs));
      return { caseRef, receivedOn: today };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Two racing submissions with one token: the second loses here.
      if (await accessHashExists(db, body.accessHash)) throw new ApiError('access_hash_taken');
      if (attempt >= 5) throw err; // caseRef collisions five times running: something else is wrong
    }
  }
}
