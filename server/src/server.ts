// The production process: configuration from the environment (checked first),
// migrate, check the structure and recovery key, listen. Also each worker of
// serve:cluster (cluster.ts). The demo has its own entry point
// (seeds/demo-server.ts, `npm start`).
import { loadConfig } from './config.ts';
import { runUntilSignalled, startFailed } from './process.ts';
import { secretFromEnv } from './secret.ts';
import { startServer } from './start.ts';
import { mailConfigFromEnv, signInUrl, smtpTransport } from './notifications/config.ts';

// Checked before anything starts: a bad SMTP setting stops the process with one line.
const mail = (() => { try { return mailConfigFromEnv(process.env); } catch (err) { return startFailed(err); } })();

let config;
try {
  config = loadConfig();
} catch (err) {
  startFailed(err);
}

// Kept outside the database: keys the proof-of-work challenges and the daily rate-limit key.
let secret: Buffer;
try {
  secret = secretFromEnv(process.env);
} catch (err) {
  startFailed(err);
}

const started = await startServer({
  secret,
  databaseUrl: config.databaseUrl,
  port: config.port,
  host: config.host,
  recoveryPublicKey: config.recoveryPublicKey,
  ...(config.orgPublicKey ? { orgPublicKey: config.orgPublicKey } : {}),
  ...(config.keyCertificatesFile ? { keyCertificatesFile: config.keyCertificatesFile } : {}),
  ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  trustProxy: config.trustProxy,
  db: config.db,
  pow: config.pow,
  receiptPreviousKeys: config.receiptPreviousKeys,
  logger: { level: config.logLevel },
  ...(mail ? { notifications: { transport: smtpTransport(mail), from: mail.from, signInUrl: signInUrl(mail.portalUrl), intervalMs: mail.intervalMs } } : {}),
}).catch(startFailed);

runUntilSignalled(started);
// Said once the start has succeeded: a failed start stays one line.
if (!mail) console.log('notifications: SMTP_HOST not set; staff notifications wait in the outbox until it is');
