// The production process: configuration from the environment (checked first),
// migrate, check the structure and recovery key, listen. Also each worker of
// serve:cluster (cluster.ts). The demo has its own entry point
// (seeds/demo-server.ts, `npm start`).
import { loadConfig } from './config.ts';
import { runUntilSignalled, startFailed } from './process.ts';
import { startServer } from './start.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  startFailed(err);
}

const started = await startServer({
  databaseUrl: config.databaseUrl,
  port: config.port,
  host: config.host,
  recoveryPublicKey: config.recoveryPublicKey,
  ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  trustProxy: config.trustProxy,
  db: config.db,
  logger: { level: config.logLevel },
}).catch(startFailed);

runUntilSignalled(started);
