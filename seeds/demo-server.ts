// A server on a demo database: `npm start`, the browser tests and the
// benchmarks start the portal through here.
import { startServer, type StartOptions, type Started } from '../server/src/start.ts';
import { prepareDemoDatabase, type DemoOptions, type DemoPrepared } from './prepare.ts';
import { seedDemoMail } from './demo-mail.ts';

export type DemoStarted = Started & DemoPrepared;

/** demoMail: give demo accounts addresses and one-minute batches (npm start, with a capture transport in `notifications`). */
export async function startDemoServer(opts: Omit<StartOptions, 'prepare' | 'recoveryPublicKey'> & DemoOptions & { demoMail?: boolean } = {}): Promise<DemoStarted> {
  const { today, demoSignIn, demoMail, ...start } = opts;
  let prepared: DemoPrepared = { demoTokens: [], demoAccounts: [] };
  const started = await startServer({
    dbFile: 'data/demo.sqlite',
    ...start,
    prepare: async (handle) => {
      prepared = await prepareDemoDatabase(handle, { ...(today ? { today } : {}), ...(demoSignIn ? { demoSignIn } : {}) });
      if (demoMail) await seedDemoMail(handle.db);
    },
  });
  return { ...started, ...prepared };
}
