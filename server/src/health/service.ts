// Readiness: can this instance serve requests right now? Each check is bounded
// in time, so a partitioned database or Redis makes /readyz answer 503 quickly
// instead of hanging the load balancer's probe.
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { migrationsCurrent } from '../db/migrate.ts';
import { outboxBacklog } from '../notifications/service.ts';
import { pingDatabase } from './repository.ts';

export type CheckState = 'ok' | 'fail' | 'not_configured';
export interface Readiness {
  ready: boolean;
  checks: { database: CheckState; migrations: CheckState; redis: CheckState };
  /**
   * Staff notification mails due and not yet delivered (null when the database cannot say). Reported,
   * not judged: mail waiting for a down SMTP server must not take the portal out of service.
   */
  mailBacklog: number | null;
}

const CHECK_TIMEOUT_MS = 2000;

async function within(check: () => Promise<boolean>): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS); });
  try {
    return (await Promise.race([check().catch(() => false), timeout])) ? 'ok' : 'fail';
  } finally {
    clearTimeout(timer);
  }
}

export function readinessProbe(db: Kysely<Database>, redis: Redis | undefined): () => Promise<Readiness> {
  // Probes arriving while one is running share it: a burst of probes costs the database one round.
  let running: Promise<Readiness> | null = null;
  const run = async (): Promise<Readiness> => {
    const [database, migrations, redisState] = await Promise.all([
      within(() => pingDatabase(db)),
      within(() => migrationsCurrent(db)),
      redis ? within(async () => redis.status === 'ready' && (await redis.ping()) === 'PONG') : Promise.resolve<CheckState>('not_configured'),
    ]);
    const checks = { database, migrations, redis: redisState };
    const mailBacklog = database === 'ok' ? await outboxBacklog(db).catch(() => null) : null;
    return { ready: database === 'ok' && migrations === 'ok' && redisState !== 'fail', checks, mailBacklog };
  };
  return () => {
    running ??= run().finally(() => { running = null; });
    return running;
  };
}
