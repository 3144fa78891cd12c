// The process: configuration from the environment, migrate and seed, listen,
// and shut down cleanly on SIGINT/SIGTERM.
import { startServer } from './start.ts';

const demo = process.argv.includes('--demo');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const started = await startServer({
  databaseUrl: process.env.DATABASE_URL ?? 'data/demo.sqlite',
  port,
  host,
  demo,
  ...(process.env.RECOVERY_PUBLIC_KEY ? { recoveryPublicKey: process.env.RECOVERY_PUBLIC_KEY } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
}).catch((err: unknown) => {
  console.error(`Could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

console.log(`Raising concerns portal listening on ${started.url}`);
if (demo) {
  console.log('demo mode: synthetic data and DEMO ONLY keys — never use with real reports');
  // Printed only in demo mode: a real token is never known to the server.
  if (started.demoTokens[0]) console.log(`Demo case token: ${started.demoTokens[0]}`);
  console.log('Demo staff sign-in (DEMO ONLY; TOTP secrets are base32 for any authenticator app):');
  for (const a of started.demoAccounts) {
    if (a.enrolmentSecret) console.log(`  ${a.username.padEnd(22)} ${a.role.padEnd(9)} not yet enrolled, enrolment secret ${a.enrolmentSecret}`);
    else console.log(`  ${a.username.padEnd(22)} ${a.role.padEnd(9)} passphrase ${a.passphrase}  TOTP ${a.totpSecret}`);
  }
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  await started.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
