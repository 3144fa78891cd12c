// The portal under test in its own process: the demo database (prepared here,
// or already seeded by the parent), rate limits lifted, no logging, no client.
// Prints "READY <url>" once listening. Usage: serve.ts <sqlite file | postgres url> [demo user…]
import { startDemoServer } from '../../seeds/demo-server.ts';

const UNLIMITED = { max: 1e9, timeWindow: 60_000 };
const [target, ...signIn] = process.argv.slice(2);
if (!target) throw new Error('usage: serve.ts <db> [demo users to enrol]');
// The load generator mints proof-of-work challenges with the same secret (reporter.ts): stamps are the
// browser's work, measured apart by `npm run bench:pow`, so here they cost one hash.
const secret = process.env.BENCH_SERVER_SECRET ? Buffer.from(process.env.BENCH_SERVER_SECRET, 'base64url') : undefined;
const server = await startDemoServer({
  databaseUrl: target, clientDist: null, demoSignIn: signIn,
  rateLimits: { intake: UNLIMITED, reports: UNLIMITED, reportsGlobal: UNLIMITED, case: UNLIMITED },
  pow: { baseDifficulty: 1, maxDifficulty: 1 },
  ...(secret ? { secret } : {}),
});
console.log(`READY ${server.url}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
