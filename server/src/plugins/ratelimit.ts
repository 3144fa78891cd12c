// Rate limits keyed by an HMAC of the client address under a per-process
// random salt: the limiter store (memory or Redis) never holds an IP address.
import { createHmac, randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError } from './errors.ts';

export async function registerRateLimit(app: FastifyInstance, redis: Redis | undefined): Promise<void> {
  const salt = randomBytes(32);
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req: FastifyRequest) => createHmac('sha256', salt).update(req.ip).digest('base64url'),
    errorResponseBuilder: () => new ApiError('rate_limited'),
    ...(redis ? { redis, nameSpace: 'rc-rl:' } : {}),
  });
}
