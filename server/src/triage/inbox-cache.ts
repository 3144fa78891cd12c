// The inbox's pages are read far more often than cases change (every open tab
// polls it), and a page costs one query per team, the unread counts and the
// tab counts. The finished page is kept per user, teams, filters and cursor
// under a change token (db/data-version.ts) over every table the page reads,
// taken BEFORE it is built, and the day (the clocks count days to today): it is
// reused only while neither moved, so a write to any of those tables (through
// this handle or any other connection) makes the next request build afresh.
// The bytes are the route's own serialisation of the page.
// Requests arriving while a page is built share the build; a failed build is
// not kept. Only what the database holds in the clear is kept (refs, labels,
// dates), never case content. The mechanism, shared with the status check:
// db/kept-answers.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { KeptAnswers } from '../db/kept-answers.ts';

/**
 * Every table a page reads: the team queries (cases, their wraps and recusals, the labels of
 * categories, teams, units and assignees), the unread counts (messages, read markers) and the tab counts.
 */
export const INBOX_PAGE_TABLES = [
  'cases', 'case_keys', 'case_conflicts', 'categories', 'teams', 'units', 'staff', 'messages', 'case_reads',
] as const;
/** Pages kept per database handle, least recently used out first (a page of 25 is about 10 KiB). */
export const INBOX_PAGES_KEPT = 1000;

const kept = new KeptAnswers<Buffer>({ tables: INBOX_PAGE_TABLES, size: () => 1, budget: INBOX_PAGES_KEPT });

/** Pages built so far in this process (tests: a repeated request while nothing changed builds none). */
export const inboxPageBuilds = (): number => kept.builds;

/**
 * The page's answer (its serialised JSON) for `key` on `day`: kept, or made by `build`. Bytes rather than
 * the object: serialising 25 rows by the response schema was 12% of a kept page's CPU. `key` must
 * name everything the page depends on but the tables and the day.
 */
export async function cachedInboxPage(db: Kysely<Database>, key: string, day: string, build: () => Promise<Buffer>): Promise<Buffer> {
  // A page is never null (an empty inbox is a page too).
  return (await kept.get(db, key, day, build))!;
}
