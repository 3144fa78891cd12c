// Rate limits keyed by an HMAC of the client address under a salt kept in the
// settings table: every instance sharing the database (and Redis) derives the
// same key for a client, so per-client limits hold across instances, and the
// limiter store (memory or Redis) never holds an IP address.
import { createHmac } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { installationSecret } from '../db/secrets.ts';
import { ApiError } from './errors.ts';

export const RATE_LIMIT_SALT_KEY = 'rate_limit_key_salt';

export async function registerRateLimit(app: FastifyInstance, redis: Redis | undefined, db: Kysely<Database>): Promise<void> {
  const salt = await installationSecret(db, RATE_LIMIT_SALT_KEY);
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req: FastifyRequest) => createHmac('sha256', salt).update(req.ip).digest('base64url'),
    errorResponseBuilder: () => new ApiError('rate_limited'),
    ...(redis ? { redis, nameSpace: 'rc-rl:' } : {}),
  });
}
