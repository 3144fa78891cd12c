// `npm start`: the demo in one command. An embedded SQLite file with the
// force's structure and DEMO ONLY keys, staff and cases; prints the URL, a
// demo case token and every demo sign-in.
import { runUntilSignalled, startFailed } from '../server/src/process.ts';
import { startDemoServer } from './demo-server.ts';
import { DEMO_MAIL_FROM, demoMailCapture } from './demo-mail.ts';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const started = await startDemoServer({
  databaseUrl: process.env.DATABASE_URL ?? 'data/demo.sqlite',
  port,
  host,
  // Staff notifications go to an in-process capture and are printed here (DEMO ONLY): no mail server needed.
  demoMail: true,
  notifications: { transport: demoMailCapture(), from: DEMO_MAIL_FROM, signInUrl: `http://${host}:${port}/triage/sign-in`, intervalMs: 10_000 },
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
}).catch(startFailed);

runUntilSignalled(started);
console.log('demo mode: synthetic data and DEMO ONLY keys — never use with real reports');
console.log('demo mode: staff notifications are captured and printed below (DEMO ONLY), batched every minute instead of hourly');
// Printed only in demo mode: a real token is never known to the server.
if (started.demoTokens[0]) console.log(`Demo case token: ${started.demoTokens[0]}`);
console.log(`Staff sign-in: ${started.url}/triage/sign-in (DEMO ONLY; TOTP secrets are base32 for any authenticator app, or run npm run demo:totp -- <username>):`);
for (const a of started.demoAccounts) {
  if (a.enrolmentSecret) console.log(`  ${a.username.padEnd(22)} ${a.role.padEnd(9)} not yet enrolled, enrolment secret ${a.enrolmentSecret}`);
  else console.log(`  ${a.username.padEnd(22)} ${a.role.padEnd(9)} passphrase ${a.passphrase}  TOTP ${a.totpSecret}`);
}
