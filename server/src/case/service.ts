// The reporter's side of a case: authenticated only by the access key derived
// from their token. Unknown and malformed keys are answered identically.
import type { Kysely } from 'kysely';
import { LIMITS } from '../../../shared/src/api/domain.ts';
import type { CaseStatus, OutcomeCode } from '../../../shared/src/api/domain.ts';
import type { CaseView, PostMessage, PostMessageResult } from '../../../shared/src/api/schemas.ts';
import { accessHashOf, fromB64u, toB64u } from '../../../shared/src/crypto/index.ts';
import type { CaseRow, Database } from '../db/database.ts';
import { addMonths, dueDates } from '../../../shared/src/domain/clock.ts';
import { itemMonths, latestDay } from '../retention/repository.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { ApiError } from '../plugins/errors.ts';
import { checkCiphertext, decodeExact } from '../intake/validate.ts';
import * as repo from './repository.ts';
import { reporterInvitations, reporterTrail } from '../survey/service.ts';
import { onReporterMessage } from '../notifications/events.ts';
import { caseAttachments } from '../attachments/repository.ts';
import { cachedCaseAnswer } from './view-cache.ts';

type Db = Kysely<Database>;

const HEADER = /^Case ([A-Za-z0-9_-]{43})$/;
// A malformed header still costs one hash and one lookup, so timing does not
// tell "malformed" from "unknown".
const DUMMY_KEY = new Uint8Array(32);

function accessKeyFrom(header: string | undefined): { key: Uint8Array; wellFormed: boolean } {
  const m = header === undefined ? null : HEADER.exec(header);
  if (m?.[1]) {
    try {
      const key = fromB64u(m[1]);
      if (key.length === 32) return { key, wellFormed: true };
    } catch {
      // fall through to the dummy key
    }
  }
  return { key: DUMMY_KEY, wellFormed: false };
}

/** The case for this Authorization header, or 404 case_not_found. */
export async function authenticate(db: Db, header: string | undefined): Promise<CaseRow> {
  const { key, wellFormed } = accessKeyFrom(header);
  const row = await repo.findByAccessHash(db, toB64u(accessHashOf(key)));
  if (!row || !wellFormed) throw new ApiError('case_not_found');
  return row;
}

/**
 * The access hash this header proves, and its case if the report was filed already (attachments:
 * files sent with a report are uploaded before the report exists). Malformed: 404 case_not_found.
 */
export async function tokenHolder(db: Db, header: string | undefined): Promise<{ accessHash: string; row: CaseRow | null }> {
  const { key, wellFormed } = accessKeyFrom(header);
  const accessHash = toB64u(accessHashOf(key));
  const row = await repo.findByAccessHash(db, accessHash);
  if (!wellFormed) throw new ApiError('case_not_found');
  return { accessHash, row: row ?? null };
}

/**
 * GET /api/v1/case's bytes for this Authorization header: the view, serialised by the route's schema
 * and padded by `encode`, kept between polls while nothing it shows has changed (case/view-cache.ts).
 * 404 case_not_found as authenticate answers it.
 */
export async function caseAnswer(db: Db, header: string | undefined, today: string, encode: (view: CaseView) => Buffer): Promise<Buffer> {
  const { key, wellFormed } = accessKeyFrom(header);
  const accessHash = toB64u(accessHashOf(key));
  const answer = await cachedCaseAnswer(db, wellFormed ? accessHash : '', today, async () => {
    const row = await repo.findByAccessHash(db, accessHash);
    return row && wellFormed ? encode(await caseView(db, row, today)) : null;
  });
  if (!answer) throw new ApiError('case_not_found');
  return answer;
}

export async function caseView(db: Db, row: CaseRow, today: string): Promise<CaseView> {
  const [history, msgs, files] = await Promise.all([reporterTrail(db, row.id), repo.messages(db, row.id), caseAttachments(db, row.id)]);
  const view: CaseView = {
    caseRef: row.case_ref,
    kind: row.kind,
    status: row.status as CaseStatus,
    history,
    reporterKey: row.reporter_key,
    welfare: { requested: row.welfare_on !== null, supportOffered: row.support_offered_on !== null },
    messages: msgs.map((m) => ({ id: m.id, from: m.sender, on: m.on, nonce: m.nonce, ct: m.ct })),
    attachments: files,
    due: dueDates(repo.clockStart(row)),
    survey: await reporterInvitations(db, row, history, today),
  };
  if (row.report_nonce !== null && row.report_ct !== null) view.report = { nonce: row.report_nonce, ct: row.report_ct };
  if (row.advice_nonce !== null && row.advice_ct !== null) view.advice = { nonce: row.advice_nonce, ct: row.advice_ct };
  if (row.converted_on !== null) view.convertedOn = row.converted_on;
  if (row.outcome !== null) view.outcome = row.outcome as OutcomeCode;
  if (row.reporter_identity_key !== null) view.reporterIdentityKey = row.reporter_identity_key;
  if (row.identity_nonce !== null && row.identity_ct !== null) view.identity = { nonce: row.identity_nonce, ct: row.identity_ct };
  if (row.kind === 'advice' && row.converted_on === null) {
    // The purge's own reckoning (retention/repository.ts quietAdvice): the later of the day asked and the last message.
    const months = await itemMonths(db, 'advice');
    if (months !== null) view.expiresOn = addMonths(latestDay([row.received_on, ...msgs.map((m) => m.on)])!, months);
  }
  return view;
}

export interface MessageOptions {
  today: string;
  /** The reporter's own allowance (LIMITS.reporterMessagesPerCaseMax); staff messages never count against it. */
  messagesPerCaseMax?: number;
  /** Clock for the notification's batch slot (ms); never stored itself. */
  now?: number;
}

/** A reporter message. Closed cases still accept them: victimisation after closure must be reportable. */
export async function postReporterMessage(db: Db, row: CaseRow, body: PostMessage, opts: MessageOptions): Promise<PostMessageResult> {
  decodeExact(body.id, 16);
  decodeExact(body.nonce, 24);
  checkCiphertext(body.ct, LIMITS.messagePaddedMax);
  if (await repo.messageExists(db, row.id, body.id)) throw new ApiError('message_exists');
  if ((await repo.countMessages(db, row.id, 'reporter')) >= (opts.messagesPerCaseMax ?? LIMITS.reporterMessagesPerCaseMax)) {
    throw new ApiError('too_many_messages');
  }
  try {
    await db.transaction().execute(async (tx) => {
      await repo.addMessage(tx, row.id, { id: body.id, sender: 'reporter', on: opts.today, nonce: body.nonce, ct: body.ct });
      await repo.touchActivity(tx, row.id, opts.today);
      // Victimisation after closure must reach someone: the case comes back into the team's open work.
      if (row.status === 'closed') await repo.flagMessageOnClosed(tx, row.id, opts.today);
      // A new question on an answered advice request starts its 7-day reply clock again.
      if (row.kind === 'advice') await repo.armAdviceClock(tx, row.id, opts.today);
      await onReporterMessage(tx, row.id, opts.now ?? Date.now());
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('message_exists');
    throw err;
  }
  return { id: body.id, on: opts.today };
}
