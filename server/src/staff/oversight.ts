// /api/v1/staff/oversight/*: counts only, never a case reference, ciphertext
// or key wrap. Counts from 1 to 4 become "<5" so a small group (one unit, one
// rare category) cannot be used to single someone out.
import type { Kysely } from 'kysely';
import { STATUSES } from '../../../shared/src/api/domain.ts';
import { StatsResponse, type OversightStats } from '../../../shared/src/api/staff.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { addDays, addMonths } from '../db/days.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { requireRole } from './session.ts';

export const suppress = (n: number): number | '<5' => (n >= 1 && n <= 4 ? '<5' : n);

type Cell = number | '<5' | 'withheld';

/**
 * Suppression for one breakdown. A single "<5" cell could be recovered by subtracting the others
 * from the total, so when exactly one cell is 1–4 another goes too: every 0 cell (shown "<5",
 * which is true, and all alike, so none points at the small one), or if there is none the next
 * smallest cell, shown "withheld".
 */
export function protect(counts: number[]): Cell[] {
  const out: Cell[] = counts.map(suppress);
  if (counts.filter((n) => n >= 1 && n <= 4).length !== 1) return out;
  const zeros = counts.flatMap((n, i) => (n === 0 ? [i] : []));
  if (zeros.length > 0) {
    for (const i of zeros) out[i] = '<5';
    return out;
  }
  let next = -1;
  counts.forEach((n, i) => { if (out[i] !== '<5' && (next < 0 || n < counts[next]!)) next = i; });
  if (next >= 0) out[next] = 'withheld';
  return out;
}

function breakdown<T extends { id: string }>(rows: T[], counts: Map<string, number>): (T & { count: Cell })[] {
  const cells = protect(rows.map((r) => counts.get(r.id) ?? 0));
  return rows.map((r, i) => ({ ...r, count: cells[i]! }));
}
const share = (met: number, due: number): number | null => (due < 5 ? null : Math.round((met / due) * 100) / 100);

// Feedback = the case moved past assessment (investigating, referred or closed).
const FEEDBACK = ['investigating', 'referred', 'closed'];

export async function stats(db: Kysely<Database>, today: string): Promise<OversightStats> {
  const cases = await db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.category_id', 'cases.status', 'cases.received_on', 'units.command_id']).execute();
  const firsts = await db.selectFrom('case_history').select(['case_id', 'status', (eb) => eb.fn.min('on').as('first')])
    .where('status', '!=', 'received').groupBy(['case_id', 'status']).execute();
  const ack = new Map<number, string>();
  const fed = new Map<number, string>();
  for (const f of firsts) {
    const on = String(f.first);
    const update = (m: Map<number, string>) => { const cur = m.get(f.case_id); if (!cur || on < cur) m.set(f.case_id, on); };
    update(ack);
    if (FEEDBACK.includes(f.status)) update(fed);
  }
  const [commands, categories] = await Promise.all([
    db.selectFrom('commands').select(['id', 'label']).orderBy('id').execute(),
    db.selectFrom('categories').select(['id', 'label']).orderBy('sort').execute(),
  ]);
  const tally = (key: (c: (typeof cases)[number]) => string) => {
    const m = new Map<string, number>();
    for (const c of cases) m.set(key(c), (m.get(key(c)) ?? 0) + 1);
    return m;
  };
  const byCommand = tally((c) => c.command_id ?? 'none');
  const byCategory = tally((c) => c.category_id);
  const byStatus = tally((c) => c.status);
  let ackDue = 0; let ackMet = 0; let fbDue = 0; let fbMet = 0;
  for (const c of cases) {
    const ackBy = addDays(c.received_on, 7);
    const a = ack.get(c.id);
    if (a !== undefined || ackBy < today) { ackDue++; if (a !== undefined && a <= ackBy) ackMet++; }
    const fbBy = addMonths(c.received_on, 3);
    const f = fed.get(c.id);
    if (f !== undefined || fbBy < today) { fbDue++; if (f !== undefined && f <= fbBy) fbMet++; }
  }
  return {
    total: suppress(cases.length),
    byCommand: breakdown([...commands, { id: 'none', label: 'No unit given' }], byCommand),
    byCategory: breakdown(categories, byCategory),
    byStatus: breakdown(STATUSES.map((s) => ({ id: s, label: s })), byStatus),
    timeliness: { acknowledgedWithin7Days: share(ackMet, ackDue), feedbackWithin3Months: share(fbMet, fbDue) },
  };
}

export const oversightRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['oversight']));
  app.get('/oversight/stats', { schema: { response: { 200: StatsResponse } } }, async () => stats(ctx.db, ctx.today()));
};
