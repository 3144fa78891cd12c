// The reporter's status check (GET /api/v1/case) answers with the whole case,
// padded to 64 KiB steps: five queries, a schema serialisation of a ~100 KiB
// object and the padding for every poll, while a case changes a few times in
// its life. The finished bytes are kept per access hash under a change token
// (db/data-version.ts) taken BEFORE they were built, and the day (survey
// invitations open by date): reused only while neither moved, so any write to
// a table the view reads (by this process or any other connection) makes the
// next poll build afresh. A build started by one poll is shared by the polls
// that arrive while it runs; a failed build is not kept.
// Only ciphertext and routing metadata are held, as in the database; the key
// is the access hash (stored in the database too), never the token.
// The mechanism, shared with the inbox page: db/kept-answers.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { KeptAnswers } from '../db/kept-answers.ts';

/** Every table caseView reads (case/service.ts, survey/repository.ts labelledHistory, attachments caseAttachments). */
export const CASE_VIEW_TABLES = ['cases', 'case_history', 'staff', 'teams', 'messages', 'uploads', 'survey_answers', 'retention_rules'] as const;

/** At most this many bytes of answers per database handle (a padded answer is 64 or 128 KiB). */
export const CASE_VIEW_CACHE_BYTES = 32 * 1024 * 1024;

const kept = new KeptAnswers<Buffer>({ tables: CASE_VIEW_TABLES, size: (b) => b.length, budget: CASE_VIEW_CACHE_BYTES });

/** Answers built so far in this process (tests: a repeated poll of an unchanged case builds none). */
export const caseAnswerBuilds = (): number => kept.builds;

/**
 * The padded answer for `accessHash` on `day`: kept, or made by `build` (null: no such case, answered
 * by the caller and never kept). The token is taken first, whether or not the case exists, so a
 * well-formed unknown key costs what a known one does on a miss.
 */
export async function cachedCaseAnswer(
  db: Kysely<Database>, accessHash: string, day: string, build: () => Promise<Buffer | null>,
): Promise<Buffer | null> {
  return kept.get(db, accessHash, day, build);
}
