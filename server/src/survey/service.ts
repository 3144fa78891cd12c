// The case trail and "did you feel listened to?" (issue 14, parts 3 and 4).
// The reporter's trail names teams by role and never a person; the team's own
// trail adds who acted. Survey invitations are computed, never stored: one at
// each closing and one after three months open (shared/src/domain/trail.ts).
// Answers keep the day only; the optional comment arrives sealed.
import type { Kysely } from 'kysely';
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import type { CaseView, InvitationView, SurveyAnswer, SurveyAnswerResult } from '../../../shared/src/api/schemas.ts';
import type { StaffCaseView } from '../../../shared/src/api/staff.ts';
import type { StaffInvitationView } from '../../../shared/src/api/trail.ts';
import { invitations, SURVEY_PADDED_MAX } from '../../../shared/src/domain/trail.ts';
import type { CaseRow, Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { checkCiphertext, decodeExact } from '../intake/validate.ts';
import { ApiError } from '../plugins/errors.ts';
import * as repo from './repository.ts';

type Db = Kysely<Database>;
type ReporterHistory = CaseView['history'];
type StaffHistory = StaffCaseView['history'];

/** The reporter's steps: a referral names the receiving team by its role label; no staff id or name. */
export async function reporterTrail(db: Db, caseId: number): Promise<ReporterHistory> {
  return (await repo.labelledHistory(db, caseId)).map((h) => ({
    status: h.status as CaseStatus, on: h.on, ...(h.status === 'referred' && h.teamLabel ? { to: h.teamLabel } : {}),
  }));
}

/** The team's steps: the same, with who acted. */
export async function staffTrail(db: Db, caseId: number): Promise<StaffHistory> {
  return (await repo.labelledHistory(db, caseId)).map((h) => ({
    status: h.status as CaseStatus,
    on: h.on,
    ...(h.status === 'referred' && h.teamId ? { to: { id: h.teamId, label: h.teamLabel ?? h.teamId } } : {}),
    ...(h.staffId ? { by: { id: h.staffId, displayName: h.staffName ?? h.staffId } } : {}),
  }));
}

const offered = (history: { status: string; on: string }[], row: CaseRow, today: string) => invitations(history, row.received_on, today);

/** The reporter's invitations so far and whether each was answered (the scores are not sent back). */
export async function reporterInvitations(db: Db, row: CaseRow, history: ReporterHistory, today: string): Promise<InvitationView[]> {
  const answered = new Set((await repo.answersOf(db, row.id)).map((a) => a.invitation));
  return offered(history, row, today).map((i) => ({ invitation: i.id, kind: i.kind, on: i.on, answered: answered.has(i.id) }));
}

/** The team's view: every invitation, with the answer (comment still sealed) where there is one. */
export async function staffInvitations(db: Db, row: CaseRow, history: StaffHistory, today: string): Promise<StaffInvitationView[]> {
  const answers = new Map((await repo.answersOf(db, row.id)).map((a) => [a.invitation, a]));
  return offered(history, row, today).map((i) => {
    const a = answers.get(i.id);
    return {
      invitation: i.id, kind: i.kind, on: i.on,
      answer: a ? {
        id: a.id, on: a.on, listened: a.listened, supported: a.supported,
        ...(a.comment_nonce && a.comment_ct ? { comment: { nonce: a.comment_nonce, ct: a.comment_ct } } : {}),
      } : null,
    };
  });
}

/**
 * One answer to one invitation open today. 409 survey_closed if the case has made no such
 * invitation, survey_answered if it was answered already (the key refuses a second under a race).
 */
export async function answerSurvey(db: Db, row: CaseRow, body: SurveyAnswer, today: string): Promise<SurveyAnswerResult> {
  decodeExact(body.id, 16);
  if (body.comment) {
    decodeExact(body.comment.nonce, 24);
    checkCiphertext(body.comment.ct, SURVEY_PADDED_MAX);
  }
  const history = await reporterTrail(db, row.id);
  if (!offered(history, row, today).some((i) => i.id === body.invitation)) throw new ApiError('survey_closed');
  try {
    await repo.insertAnswer(db, {
      case_id: row.id, invitation: body.invitation, id: body.id, on: today, listened: body.listened, supported: body.supported,
      comment_nonce: body.comment?.nonce ?? null, comment_ct: body.comment?.ct ?? null,
    });
  } catch (err) {
    throw isUniqueViolation(err) ? new ApiError('survey_answered') : err;
  }
  return { invitation: body.invitation, on: today };
}
