// The production process: configuration from the environment, migrate, check
// the structure and recovery key, listen. The demo has its own entry point
// (seeds/demo-server.ts, `npm start`).
import { runUntilSignalled, startFailed } from './process.ts';
import { secretFromEnv } from './secret.ts';
import { startServer } from './start.ts';

// Kept outside the database: keys the proof-of-work challenges and the daily rate-limit key.
let secret: Buffer;
try {
  secret = secretFromEnv(process.env);
} catch (err) {
  startFailed(err);
}

const started = await startServer({
  secret,
  databaseUrl: process.env.DATABASE_URL ?? 'data/portal.sqlite',
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  ...(process.env.RECOVERY_PUBLIC_KEY ? { recoveryPublicKey: process.env.RECOVERY_PUBLIC_KEY } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
}).catch(startFailed);

runUntilSignalled(started);
