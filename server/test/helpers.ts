// Shared test plumbing: an app on a prepared database, row counts for the
// "nothing stored from a rejected request" checks, and a real sealed submission.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { RecipientsInfo, SubmitReport } from '../../shared/src/api/schemas.ts';
import { reporterSession, sealSubmission, type Draft, type ReporterSession } from '../../shared/src/crypto/index.ts';
import { buildApp, type AppOptions } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { toCount } from '../src/db/dialect.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import type { TestDb, TestDialect } from './databases.ts';

export const TODAY = '2026-01-15';
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
    ...appOpts,
  });
  return { app, tdb, logs, close: async () => { await app.close(); await tdb.cleanup(); } };
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
  const { token, body } = sealSubmission(draft, r.recipients);
  return { body, session: reporterSession(token) };
}

export function postReport(app: FastifyInstance, body: unknown) {
  return app.inject({ method: 'POST', url: '/api/v1/reports', payload: body as object });
}
