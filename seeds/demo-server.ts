// A server on a demo database: `npm start`, the browser tests and the
// benchmarks start the portal through here.
import { dirname, join } from 'node:path';
import { ensureSecretFile } from '../server/src/secret.ts';
import { sqlitePath } from '../server/src/db/dialect.ts';
import { startServer, type StartOptions, type Started } from '../server/src/start.ts';
import { prepareDemoDatabase, type DemoOptions, type DemoPrepared } from './prepare.ts';
import { seedDemoMail } from './demo-mail.ts';

export type DemoStarted = Started & DemoPrepared;

/** demoMail: give demo accounts addresses and one-minute batches (npm start, with a capture transport in `notifications`). */
export async function startDemoServer(opts: Omit<StartOptions, 'prepare' | 'recoveryPublicKey'> & DemoOptions & { demoMail?: boolean } = {}): Promise<DemoStarted> {
  const { today, demoSignIn, demoMail, ...start } = opts;
  let prepared: DemoPrepared = { demoTokens: [], demoAccounts: [] };
  const dbFile = start.dbFile ?? 'data/demo.sqlite';
  const file = start.databaseUrl ? sqlitePath(start.databaseUrl) : dbFile;
  // DEMO setup makes the server secret as a key file beside the database (production: SERVER_SECRET[_FILE]).
  const secret = start.secret ?? ensureSecretFile(join(file && file !== ':memory:' ? dirname(file) : 'data', 'server.secret'));
  const started = await startServer({
    dbFile,
    ...start,
    secret,
    prepare: async (handle) => {
      prepared = await prepareDemoDatabase(handle, { ...(today ? { today } : {}), ...(demoSignIn ? { demoSignIn } : {}) });
      if (demoMail) await seedDemoMail(handle.db);
    },
  });
  return { ...started, ...prepared };
}
