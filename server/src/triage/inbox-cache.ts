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
// dates), never case content.
import type { Kysely } from 'kysely';
import { changeToken } from '../db/data-version.ts';
import type { Database } from '../db/database.ts';

/**
 * Every table a page reads: the team queries (cases, their wraps and recusals, the labels of
 * categories, teams, units and assignees), the unread counts (messages, read markers) and the tab counts.
 */
export const INBOX_PAGE_TABLES = [
  'cases', 'case_keys', 'case_conflicts', 'categories', 'teams', 'units', 'staff', 'messages', 'case_reads',
] as const;
/** Pages kept per database handle, least recently used out first (a page of 25 is about 10 KiB). */
export const INBOX_PAGES_KEPT = 1000;

interface Entry { token: string; day: string; page: Promise<Buffer> }

const caches = new WeakMap<Kysely<Database>, Map<string, Entry>>();
let builds = 0;

/** Pages built so far in this process (tests: a repeated request while nothing changed builds none). */
export const inboxPageBuilds = (): number => builds;

/**
 * The page's answer (its serialised JSON) for `key` on `day`: kept, or made by `build`. Bytes rather than
 * the object: serialising 25 rows by the response schema was 12% of a kept page's CPU. `key` must
 * name everything the page depends on but the tables and the day.
 */
export async function cachedInboxPage(db: Kysely<Database>, key: string, day: string, build: () => Promise<Buffer>): Promise<Buffer> {
  const token = await changeToken(db, INBOX_PAGE_TABLES);
  if (token === null) {
    builds++;
    return build();
  }
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let entry = cache.get(key);
  if (entry?.token !== token || entry.day !== day) {
    builds++;
    const page = build();
    const mine: Entry = (entry = { token, day, page });
    page.catch(() => { if (cache.get(key) === mine) cache.delete(key); });
  }
  // Map keeps insertion order: re-inserting marks it most recently used.
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > INBOX_PAGES_KEPT) cache.delete(cache.keys().next().value as string);
  return entry.page;
}
