// The test Redis (TEST_REDIS_URL, default the local one) and whether it answers:
// one probe for every suite that needs it. Locally a missing Redis skips those
// suites with a warning; under CI it fails them (shared/test/ci.ts).
import { createConnection } from 'node:net';
import { requireService } from '../../../shared/test/ci.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const redisUp: boolean = requireService('Redis', await new Promise<boolean>((resolve) => {
  const u = new URL(REDIS_URL);
  const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
  s.setTimeout(1000);
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
  s.once('timeout', () => { s.destroy(); resolve(false); });
}), `not reachable at ${REDIS_URL}`);
