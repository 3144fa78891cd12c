// A server on a demo database: `npm start`, the browser tests and the
// benchmarks start the portal through here.
import { startServer, type StartOptions, type Started } from '../server/src/start.ts';
import { prepareDemoDatabase, type DemoOptions, type DemoPrepared } from './prepare.ts';

export type DemoStarted = Started & DemoPrepared;

export async function startDemoServer(opts: Omit<StartOptions, 'prepare' | 'recoveryPublicKey'> & DemoOptions = {}): Promise<DemoStarted> {
  const { today, demoSignIn, ...start } = opts;
  let prepared: DemoPrepared = { demoTokens: [], demoAccounts: [] };
  const started = await startServer({
    dbFile: 'data/demo.sqlite',
    ...start,
    prepare: async (handle) => {
      prepared = await prepareDemoDatabase(handle, { ...(today ? { today } : {}), ...(demoSignIn ? { demoSignIn } : {}) });
    },
  });
  return { ...started, ...prepared };
}
