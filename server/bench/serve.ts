// The portal under test in its own process: the demo database (prepared here,
// or already seeded by the parent), rate limits lifted, no logging, no client.
// Prints "READY <url>" once listening. Usage: serve.ts <sqlite file | postgres url> [demo user…]
import { startDemoServer } from '../../seeds/demo-server.ts';

const UNLIMITED = { max: 1e9, timeWindow: 60_000 };
const [target, ...signIn] = process.argv.slice(2);
if (!target) throw new Error('usage: serve.ts <db> [demo users to enrol]');
const server = await startDemoServer({
  databaseUrl: target, clientDist: null, demoSignIn: signIn,
  rateLimits: { intake: UNLIMITED, reports: UNLIMITED, reportsGlobal: UNLIMITED, case: UNLIMITED },
});
console.log(`READY ${server.url}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
