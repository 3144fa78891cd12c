// A server on a demo database: `npm start`, the browser tests and the
// benchmarks start the portal through here.
import { dirname, join } from 'node:path';
import { ensureSecretFile } from '../server/src/secret.ts';
import { sqlitePath } from '../server/src/db/dialect.ts';
import { startServer, type StartOptions, type Started } from '../server/src/start.ts';
import { prepareDemoDatabase, type DemoOptions, type DemoPrepared } from './prepare.ts';

export type DemoStarted = Started & DemoPrepared;

export async function startDemoServer(opts: Omit<StartOptions, 'prepare' | 'recoveryPublicKey'> & DemoOptions = {}): Promise<DemoStarted> {
  const { today, demoSignIn, ...start } = opts;
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
    },
  });
  return { ...started, ...prepared };
}
