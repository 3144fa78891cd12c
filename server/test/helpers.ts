// Shared test plumbing: an app on a prepared database, row counts for the
// "nothing stored from a rejected request" checks, and a real sealed submission.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { RecipientsInfo, SubmitReport } from '../../shared/src/api/schemas.ts';
import type { PowChallenge } from '../../shared/src/api/schemas.ts';
import {
  DEMO_ORG_LABEL, demoSigningKeyPair, formatStamp, fromB64u, POW_HEADER, reporterSession, sealVerified, solve, type Draft, type ReporterSession,
} from '../../shared/src/crypto/index.ts';
import { buildApp, DEFAULT_LIMITS, type AppOptions } from '../src/app.ts';
import type { AppContext } from '../src/context.ts';
import { sharedBuckets } from '../src/plugins/ratelimit.ts';
import { serverKeys } from '../src/server-keys.ts';
import { createPow, DEFAULT_POW } from '../src/pow/service.ts';
import { dbSpentStore } from '../src/pow/store.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { changesSeen } from '../src/db/data-version.ts';
import { toCount } from '../src/db/dialect.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import type { TestDb, TestDialect } from './databases.ts';

export const TODAY = '2026-01-15';
/** A fixed server secret for tests (production reads SERVER_SECRET / SERVER_SECRET_FILE). */
export const TEST_SECRET = new Uint8Array(32).fill(7);
/** Low enough that a test solves a stamp in microseconds; pow.test.ts checks the real scaling. */
export const TEST_POW = { baseDifficulty: 4, maxDifficulty: 12 };
const HIGH = { max: 100_000, timeWindow: 60_000 };

export interface TestApp {
  app: FastifyInstance;
  tdb: TestDb;
  logs: string[];
  close(): Promise<void>;
}

/** signIn: demo accounts to pre-enrol (Argon2id is slow, so none unless a test signs in). */
export async function makeApp(dialect: TestDialect, opts: Partial<AppOptions> & { signIn?: string[] } = {}): Promise<TestApp> {
  const { signIn = [], ...appOpts } = opts;
  const tdb = await dialect.create();
  await prepareDemoDatabase(tdb.handle, { today: TODAY, demoSignIn: signIn });
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const app = await buildApp({
    db: tdb.handle.db,
    clientDist: null,
    today: () => TODAY,
    logger: { level: 'info', stream },
    rateLimits: { intake: HIGH, reports: HIGH, reportsGlobal: HIGH, case: HIGH },
    secret: TEST_SECRET,
    pow: TEST_POW,
    // The daily reshuffle rewrites rows and appends an audit entry; reshuffle.test.ts runs it by hand.
    reshuffleEveryMs: 0,
    ...appOpts,
  });
  return { app, tdb, logs, close: async () => { await app.close(); await tdb.cleanup(); } };
}

/** An AppContext for calling services directly, without an app (libsodium ready: after makeApp or ready()). */
/**
 * After a write through `writer`: resolves once the app's handle counts it in its change tokens. Its own
 * handle's writes count at once (and SQLite needs no wait); another connection's on PostgreSQL once its
 * notification has arrived (db/pg-changes.ts).
 */
export const writeSeen = (t: TestApp, writer: Kysely<Database>): Promise<void> =>
  (writer === t.tdb.handle.db ? Promise.resolve() : changesSeen(t.tdb.handle.db));

export function testContext(db: Kysely<Database>): AppContext {
  return {
    db, today: () => TODAY, now: () => Date.now(), limits: DEFAULT_LIMITS,
    pow: createPow(TEST_SECRET, dbSpentStore(db), { ...DEFAULT_POW, ...TEST_POW }, () => Date.now()),
    sharedBucket: sharedBuckets(undefined),
    serverKeys: serverKeys(TEST_SECRET),
  };
}

const TABLES: (keyof Database)[] = [
  'teams', 'commands', 'units', 'categories', 'settings', 'staff', 'team_members',
  'recovery_keys', 'cases', 'case_keys', 'case_history', 'messages',
];

export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await t.tdb.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    out[table] = toCount(row?.n);
  }
  return out;
}

export async function recipients(app: FastifyInstance, q: { category: string; unit?: string; avoidOwnUnit?: boolean }): Promise<RecipientsInfo> {
  const params = new URLSearchParams({ category: q.category });
  if (q.unit) params.set('unit', q.unit);
  if (q.avoidOwnUnit !== undefined) params.set('avoidOwnUnit', String(q.avoidOwnUnit));
  const res = await app.inject({ method: 'GET', url: `/api/v1/intake/recipients?${params}` });
  if (res.statusCode !== 200) throw new Error(`recipients: ${res.statusCode} ${res.body}`);
  return res.json();
}

export const DRAFT: Draft = {
  mode: 'anonymous',
  category: 'bullying',
  unit: 'nw-response-camden',
  report: { narrative: 'A test narrative.' },
};

export interface Sealed {
  body: SubmitReport;
  session: ReporterSession;
}

export async function sealFor(app: FastifyInstance, draft: Draft = DRAFT): Promise<Sealed> {
  const r = await recipients(app, {
    category: draft.category,
    ...(draft.unit !== undefined ? { unit: draft.unit } : {}),
    ...(draft.avoidOwnUnit !== undefined ? { avoidOwnUnit: draft.avoidOwnUnit } : {}),
  });
  // As a browser does: every chain checked against the (DEMO ONLY) organisation key before wrapping.
  const { token, body } = sealVerified(draft, r, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey);
  return { body, session: reporterSession(token) };
}

/**
 * The intake's recipients with each opaque staff recipient id replaced by the staff id behind it
 * (what the staff API's wraps name), read from the certificates table.
 */
export async function staffRecipients(t: TestApp, q: { category: string; unit?: string }): Promise<RecipientsInfo> {
  const r = await recipients(t.app, q);
  const rows = await t.tdb.handle.db.selectFrom('key_certificates').select(['recipient_id', 'staff_id']).where('kind', '=', 'member').execute();
  const staffOf = new Map(rows.map((x) => [x.recipient_id, x.staff_id]));
  return { ...r, recipients: r.recipients.map((x) => ({ ...x, id: staffOf.get(x.id) ?? x.id })) };
}

/** Fetches a challenge and solves it, as a reporter's browser does: the value of the pow-stamp header. */
export async function stamp(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/pow' });
  if (res.statusCode !== 200) throw new Error(`pow: ${res.statusCode} ${res.body}`);
  const c = res.json<PowChallenge>();
  const found = solve(fromB64u(c.challenge), c.difficulty);
  if (!found) throw new Error('unsolved');
  return formatStamp(c.challenge, found.nonce);
}

type InjectExtra = { headers?: Record<string, string>; remoteAddress?: string };

/** POST /api/v1/reports with a fresh stamp (extra.headers may replace it). */
export async function postReport(app: FastifyInstance, body: unknown, extra: InjectExtra = {}) {
  const headers = { [POW_HEADER]: await stamp(app), ...extra.headers };
  return app.inject({ method: 'POST', url: '/api/v1/reports', payload: body as object, headers, ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}) });
}

/** POST /api/v1/case/messages as the reporter, with a fresh stamp. */
export async function postMessage(app: FastifyInstance, authorization: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { [POW_HEADER]: await stamp(app), ...(authorization !== undefined ? { authorization } : {}), ...headers };
  return app.inject({ method: 'POST', url: '/api/v1/case/messages', payload: body as object, headers: all });
}
