// Retention policy: per-outcome periods set by the administrator (audited),
// and the purge that turns expired closed cases into content-free stubs.
// A period runs from the case's last activity after closure: the closure
// itself, or a later message or note (victimisation reported after closure
// must not be deleted a week later). No rule for an outcome = kept.
//
// After a purge the reporter's token answers exactly like an unknown token
// (404 case_not_found): saying "this case was deleted" would confirm to
// whoever holds a token that a case existed.
import { purgeAbandonedUploads } from '../attachments/service.ts';
import { databaseChunkStore } from '../attachments/store.ts';
import { PostgresAdapter, type Kysely } from 'kysely';
import { OUTCOMES } from '../../../shared/src/api/domain.ts';
import type { RetentionList, SetRetention } from '../../../shared/src/api/retention.ts';
import { addMonths } from '../../../shared/src/domain/clock.ts';
import { auditIn, type AuditContext } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { DialectKind } from '../db/dialect.ts';
import * as repo from './repository.ts';

export async function listRetention(db: Kysely<Database>): Promise<RetentionList> {
  const byOutcome = new Map((await repo.rules(db)).map((r) => [r.outcome, r]));
  return {
    rules: OUTCOMES.map((outcome) => {
      const r = byOutcome.get(outcome);
      return { outcome, months: r?.months ?? null, setOn: r?.set_on ?? null, setBy: r?.set_by ?? null };
    }),
  };
}

export async function setRetention(ctx: AppContext, actor: string, b: SetRetention): Promise<RetentionList> {
  await ctx.db.transaction().execute(async (tx) => {
    const previous = await repo.setRule(tx, b.outcome, b.months, ctx.today(), actor);
    await auditIn(ctx, tx, { actor, action: 'admin.retention_set', detail: { outcome: b.outcome, months: b.months, previous } });
  });
  return listRetention(ctx.db);
}

export interface PurgeResult {
  /** Cases made stubs by this run. */
  purged: number;
  /** Another instance held the purge (PostgreSQL advisory lock); nothing was done. */
  skipped: boolean;
}

export interface PurgeContext extends AuditContext {
  db: Kysely<Database>;
  today: () => string;
}

const kindOf = (db: Kysely<Database>): DialectKind => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');

/** Cases per transaction: keeps each lock short and each audit entry's id list small. */
const BATCH = 200;

/** Purges every closed case whose retention has run out; one content-free audit entry per batch. */
export async function purgeExpired(ctx: PurgeContext): Promise<PurgeResult> {
  const today = ctx.today();
  const months = new Map((await repo.rules(ctx.db)).map((r) => [r.outcome, r.months]));
  const candidates = await repo.purgeCandidates(ctx.db, [...months.keys()]);
  const expired = candidates.filter((c) => addMonths(c.lastActivity, months.get(c.outcome)!) <= today);
  let purged = 0;
  for (let i = 0; i < expired.length; i += BATCH) {
    const batch = expired.slice(i, i + BATCH);
    const skipped = await ctx.db.transaction().execute(async (tx) => {
      if (!(await repo.claimPurge(tx, kindOf(ctx.db)))) return true;
      const done = await repo.purgeCases(tx, batch.map((c) => c.id), today);
      if (done.purged.length > 0) {
        const refs = batch.filter((c) => done.purged.includes(c.id)).map((c) => c.caseRef);
        // Ids and counts only: which cases, how many rows of each kind went. Never content.
        await auditIn(ctx, tx, { actor: null, action: 'retention.purge', detail: { cases: refs, ...done.counts } });
      }
      purged += done.purged.length;
      return false;
    });
    if (skipped) return { purged, skipped: true };
  }
  // Files of reports never sent, and uploads never finished, go once their day has passed.
  await purgeAbandonedUploads({ db: ctx.db, store: databaseChunkStore(ctx.db) }, today);
  return { purged, skipped: false };
}
