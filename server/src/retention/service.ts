// Retention policy: per-outcome periods set by the administrator (audited),
// and the purge that turns expired closed cases into content-free stubs.
// A period runs from the case's last activity after closure: the closure
// itself, or a later message or note (victimisation reported after closure
// must not be deleted a week later). No rule for an outcome = kept.
// Two things never close, so they have rules of their own, counted from
// their last activity: advice requests never converted (made stubs like
// cases: oversight counts them) and private records never turned into a
// report (deleted outright, as their holder's own delete does).
//
// After a purge the reporter's token answers exactly like an unknown token
// (404 case_not_found): saying "this case was deleted" would confirm to
// whoever holds a token that a case existed.
import { purgeAbandonedUploads } from '../attachments/service.ts';
import { databaseChunkStore } from '../attachments/store.ts';
import type { Kysely, Transaction } from 'kysely';
import { OUTCOMES } from '../../../shared/src/api/domain.ts';
import { isRetentionItem, RETENTION_ITEMS, type RetentionItem, type RetentionList, type RetentionPreview, type SetRetention } from '../../../shared/src/api/retention.ts';
import { addMonths } from '../../../shared/src/domain/clock.ts';
import { auditIn, type AuditContext } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import * as repo from './repository.ts';

export async function listRetention(db: Kysely<Database>): Promise<RetentionList> {
  const byKey = new Map((await repo.rules(db)).map((r) => [r.outcome, r]));
  const fields = (key: string) => {
    const r = byKey.get(key);
    return { months: r?.months ?? null, setOn: r?.set_on ?? null, setBy: r?.set_by ?? null };
  };
  return {
    rules: OUTCOMES.map((outcome) => ({ outcome, ...fields(outcome) })),
    items: RETENTION_ITEMS.map((item) => ({ item, ...fields(item) })),
  };
}

export async function setRetention(ctx: AppContext, actor: string, b: SetRetention): Promise<RetentionList> {
  // One table holds both kinds of rule: item names are not outcome codes, so the keys never collide.
  const key = 'outcome' in b ? b.outcome : b.item;
  const what: Record<string, string> = 'outcome' in b ? { outcome: b.outcome } : { item: b.item };
  await ctx.db.transaction().execute(async (tx) => {
    const previous = await repo.setRule(tx, key, b.months, ctx.today(), actor);
    await auditIn(ctx, tx, { actor, action: 'admin.retention_set', detail: { ...what, months: b.months, previous } });
  });
  return listRetention(ctx.db);
}

/** Whether something last active on `lastActivity` is past a period of `months` on `today`: the purge's test, and the preview's. */
const pastPeriod = (lastActivity: string, months: number, today: string): boolean => addMonths(lastActivity, months) <= today;

/**
 * How many items a period of `months` for `key` would find past it today: what the next purge would take
 * if the period were saved now, reckoned as the purge does. Told as 0, '<5' (1 to 4) or the number: the
 * administrator never sees case content, and an exact small count asked again and again (months apart by
 * one) could follow a single case's last activity, a reporter's message to a closed case among them.
 * Each asking is audited (key and months; not the answer), so such asking is seen.
 */
export async function previewRetention(ctx: AppContext, actor: string, key: string, months: number): Promise<RetentionPreview> {
  const today = ctx.today();
  const items = key === 'advice' ? await repo.quietAdvice(ctx.db)
    : key === 'record' ? await repo.quietRecords(ctx.db)
    : await repo.purgeCandidates(ctx.db, [key]);
  const due = items.filter((t) => pastPeriod(t.lastActivity, months, today)).length;
  await ctx.db.transaction().execute((tx) => auditIn(ctx, tx, { actor, action: 'admin.retention_preview', detail: { key, months } }));
  return { due: due > 0 && due < 5 ? '<5' : due };
}

export interface PurgeResult {
  /** Closed cases made stubs by this run. */
  purged: number;
  /** Unconverted advice requests made stubs by this run. */
  advice: number;
  /** Unconverted private records deleted by this run. */
  records: number;
  /** Another instance held the purge (PostgreSQL advisory lock); the rest was left to it. */
  skipped: boolean;
}

export interface PurgeContext extends AuditContext {
  db: Kysely<Database>;
  today: () => string;
}

/** Cases per transaction: keeps each lock short and each audit entry's id list small. */
const BATCH = 200;

/** Purges every closed case, advice request and private record whose retention has run out; content-free audit entries. */
export async function purgeExpired(ctx: PurgeContext): Promise<PurgeResult> {
  const today = ctx.today();
  const rules = await repo.rules(ctx.db);
  const outcomes = new Map(rules.filter((r) => !isRetentionItem(r.outcome)).map((r) => [r.outcome, r.months]));
  const itemRule = (item: RetentionItem) => rules.find((r) => r.outcome === item)?.months;
  const expired = <T extends { lastActivity: string }>(items: T[], months: (t: T) => number) =>
    items.filter((t) => pastPeriod(t.lastActivity, months(t), today));
  const result: PurgeResult = { purged: 0, advice: 0, records: 0, skipped: false };
  /** One kind's batches; true if another instance holds the purge (the rest is left to it). */
  const run = async <T>(key: 'purged' | 'advice' | 'records', items: T[], step: Step<T>): Promise<boolean> => {
    const r = await inBatches(ctx, items, step);
    result[key] = r.done;
    return r.skipped;
  };

  const cases = expired(await repo.purgeCandidates(ctx.db, [...outcomes.keys()]), (c) => outcomes.get(c.outcome)!);
  if (await run('purged', cases, stubs(ctx, today, 'cases'))) return { ...result, skipped: true };
  const adviceMonths = itemRule('advice');
  if (adviceMonths !== undefined
    && await run('advice', expired(await repo.quietAdvice(ctx.db), () => adviceMonths), stubs(ctx, today, 'advice'))) return { ...result, skipped: true };
  const recordMonths = itemRule('record');
  if (recordMonths !== undefined
    && await run('records', expired(await repo.quietRecords(ctx.db), () => recordMonths), deletions(ctx))) return { ...result, skipped: true };

  // Files of reports never sent, and uploads never finished, go once their day has passed.
  await purgeAbandonedUploads({ db: ctx.db, store: databaseChunkStore(ctx.db) }, today);
  return result;
}

type Step<T> = (tx: Transaction<Database>, batch: T[]) => Promise<number>;

/** Makes a batch of cases (closed cases, or advice requests) stubs; audits which (under `key`) and row counts, never content. */
const stubs = (ctx: PurgeContext, today: string, key: 'cases' | 'advice'): Step<{ id: number; caseRef: string }> => async (tx, batch) => {
  const done = await repo.purgeCases(tx, batch.map((c) => c.id), today);
  if (done.purged.length > 0) {
    const refs = batch.filter((c) => done.purged.includes(c.id)).map((c) => c.caseRef);
    await auditIn(ctx, tx, { actor: null, action: 'retention.purge', detail: { [key]: refs, ...done.counts } });
  }
  return done.purged.length;
};

/** Deletes a batch of private records; audits counts only: a record's reference was never shown to staff, and is not now. */
const deletions = (ctx: PurgeContext): Step<{ id: string }> => async (tx, batch) => {
  const done = await repo.purgeRecords(tx, batch.map((r) => r.id));
  if (done.deleted.length > 0) {
    await auditIn(ctx, tx, { actor: null, action: 'retention.purge_records', detail: { records: done.deleted.length, entries: done.entries, uploads: done.uploads } });
  }
  return done.deleted.length;
};


/** Runs `step` on BATCH items per transaction under the purge's claim; stops if another instance holds it. */
async function inBatches<T>(ctx: PurgeContext, items: T[], step: Step<T>): Promise<{ done: number; skipped: boolean }> {
  let done = 0;
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    const skipped = await ctx.db.transaction().execute(async (tx) => {
      if (!(await repo.claimPurge(tx))) return true;
      done += await step(tx, batch);
      return false;
    });
    if (skipped) return { done, skipped: true };
  }
  return { done, skipped: false };
}
