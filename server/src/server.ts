// The production process: configuration from the environment, migrate, check
// the structure and recovery key, listen. The demo has its own entry point
// (seeds/demo-server.ts, `npm start`).
import { runUntilSignalled, startFailed } from './process.ts';
import { startServer } from './start.ts';
import { mailConfigFromEnv, signInUrl, smtpTransport } from './notifications/config.ts';

// Checked before anything starts: a bad SMTP setting stops the process with one line.
const mail = (() => { try { return mailConfigFromEnv(process.env); } catch (err) { return startFailed(err); } })();
if (!mail) console.log('notifications: SMTP_HOST not set; staff notifications wait in the outbox until it is');

const started = await startServer({
  databaseUrl: process.env.DATABASE_URL ?? 'data/portal.sqlite',
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  ...(process.env.RECOVERY_PUBLIC_KEY ? { recoveryPublicKey: process.env.RECOVERY_PUBLIC_KEY } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
  ...(mail ? { notifications: { transport: smtpTransport(mail), from: mail.from, signInUrl: signInUrl(mail.portalUrl) } } : {}),
}).catch(startFailed);

runUntilSignalled(started);
