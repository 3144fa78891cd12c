// Where spent stamps are remembered, so each is accepted once across all
// instances: Redis (SET NX with the challenge's remaining lifetime) when it is
// configured, else the shared database (a unique key, expired rows deleted).
// Both also answer "how many stamps were spent recently" for the difficulty.
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { countLive, deleteExpired, insertSpentMany } from './repository.ts';

export interface SpentStore {
  /** true when this call spent `id`; false when it had been spent before. */
  spend(id: string, expiresAt: number, now: number): Promise<boolean>;
  /** Stamps spent within the last `windowMs`. */
  recent(now: number, windowMs: number): Promise<number>;
}

const MINUTE = 60_000;

/**
 * Spend and count in one round trip (it was two: SET NX, then MULTI INCR PEXPIRE), atomically:
 * the per-minute counter moves only when the stamp was fresh. KEYS: spent key, counter; ARGV: ttl, counter ttl.
 */
const SPEND_SCRIPT = `if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return 1
end
return 0`;

export function redisSpentStore(redis: Redis, prefix = 'rc-pow:'): SpentStore {
  return {
    async spend(id, expiresAt, now) {
      const ttl = Math.max(1, expiresAt - now);
      // Per-minute counters for the difficulty's sliding count; they expire on their own.
      const bucket = `${prefix}n:${Math.floor(now / MINUTE)}`;
      return (await redis.eval(SPEND_SCRIPT, 2, `${prefix}spent:${id}`, bucket, ttl, 15 * MINUTE)) === 1;
    },
    async recent(now, windowMs) {
      const current = Math.floor(now / MINUTE);
      const keys = Array.from({ length: Math.max(1, Math.ceil(windowMs / MINUTE)) }, (_, i) => `${prefix}n:${current - i}`);
      const values = await redis.mget(...keys);
      return values.reduce((sum, v) => sum + Number(v ?? 0), 0);
    },
  };
}

/**
 * Spends arriving together share one transaction (db/group-commit.ts): each is still committed
 * before its request goes on, but one WAL sync (SQLite) or WAL flush (PostgreSQL) covers many,
 * where one per stamp was the largest single cost of a submission.
 */
export function dbSpentStore(db: Kysely<Database>): SpentStore {
  let lastSweep = 0;
  const group = new GroupCommit<{ id: string; expiresAt: number }, boolean>(db, {
    one: async (tx, item) => (await insertSpentMany(tx, [item]))[0]!,
    many: insertSpentMany,
    // One INSERT … ON CONFLICT DO NOTHING: atomic and durable by itself (PostgreSQL skips BEGIN and COMMIT).
    atomic: insertSpentMany,
  });
  return {
    async spend(id, expiresAt, now) {
      // Sweep at most once a minute: the table holds minutes of rows, never history.
      if (now - lastSweep > MINUTE) {
        lastSweep = now;
        await deleteExpired(db, now);
      }
      return group.run({ id, expiresAt });
    },
    // A spent row lives until its challenge expires, so the live rows are the stamps of the last lifetime.
    recent: async (now) => countLive(db, now),
  };
}

/**
 * Redis first; while Redis fails, the database (so reporters can still send, and a stamp is still
 * spent once across instances). A stamp spent in the database during an outage may be offered again
 * once Redis is back, so until the last of those has expired every spend also goes to the database.
 */
export function resilientSpentStore(redis: Redis, db: Kysely<Database>, onOutage: () => void): SpentStore {
  const inRedis = redisSpentStore(redis);
  const inDb = dbSpentStore(db);
  let dbUntil = 0;
  return {
    async spend(id, expiresAt, now) {
      let fresh: boolean;
      try {
        fresh = await inRedis.spend(id, expiresAt, now);
      } catch {
        onOutage();
        dbUntil = Math.max(dbUntil, expiresAt);
        return inDb.spend(id, expiresAt, now);
      }
      return fresh && (now >= dbUntil || inDb.spend(id, expiresAt, now));
    },
    async recent(now, windowMs) {
      try {
        return await inRedis.recent(now, windowMs);
      } catch {
        onOutage();
        return inDb.recent(now, windowMs);
      }
    },
  };
}
