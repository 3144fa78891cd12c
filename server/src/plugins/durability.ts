// Holds every answer until the writes committed before it are on disk (db/durability.ts explains the
// barrier). An onSend hook sees every reply, error replies included, after its handler finished, so a
// write anywhere (the group commit, a reporter's message, a staff action, a sign-in) is covered without
// each route having to remember it. A reply with nothing unsynced behind it passes at the cost of two
// comparisons; one that waits costs no CPU while it waits. A reply whose write could not be synced is
// replaced by a 503: it must not say "stored".
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { barrierOf } from '../db/durability.ts';
import { errorBody } from './errors.ts';

export function registerDurability(app: FastifyInstance, db: Kysely<Database>): void {
  const barrier = barrierOf(db);
  if (!barrier) return; // PostgreSQL, or SQLite with synchronous=FULL: a commit is durable when it returns.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!barrier.dirty()) { done(null, payload); return; }
    barrier.wait().then(() => done(null, payload), (err: Error) => {
      req.log.error({ code: 'durability_failed', err: err.message }, 'a commit could not be synced; restart the server');
      void reply.code(503).header('content-type', 'application/json; charset=utf-8');
      done(null, JSON.stringify(errorBody('service_unavailable')));
    });
  });
}
