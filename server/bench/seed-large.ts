// A large synthetic case set for the inbox benchmark: N cases spread over all
// teams, with random bytes of realistic padded sizes where ciphertext would
// be. Not decryptable and never meant to be: it measures queries, not crypto.
// CLI: tsx server/bench/seed-large.ts <sqlite file | postgres url> [N]
import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CATEGORIES } from '../../seeds/structure.ts';
import type { Database } from '../src/db/database.ts';
import { addDays, clockFor } from '../../shared/src/domain/clock.ts';
import { createDb } from '../src/db/dialect.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';

const b64 = (n: number): string => randomBytes(n).toString('base64url');
// Padded buckets plus the 16-byte tag: most reports are short, a few long.
const reportSize = (): number => { const r = Math.random(); return (r < 0.7 ? 1024 : r < 0.95 ? 4096 : 16384) + 16; };
const STATUSES = ['received', 'acknowledged', 'assessing', 'investigating', 'referred', 'closed'] as const;

/** Inserts `n` cases; each case is wrapped to its team's keyed members and the recovery key. */
export async function seedLarge(db: Kysely<Database>, n: number, today: string): Promise<void> {
  const units = await db.selectFrom('units').innerJoin('commands', 'commands.id', 'units.command_id')
    .select(['units.id', 'commands.psu_team_id']).execute();
  const members = await db.selectFrom('team_members').innerJoin('staff', 'staff.id', 'team_members.staff_id')
    .select(['team_members.team_id', 'staff.id']).where('staff.public_key', 'is not', null).execute();
  const recovery = await db.selectFrom('recovery_keys').select('id').where('active', '=', 1).executeTakeFirstOrThrow();
  // Random ids as the intake gives them (migration 010), distinct across the batch and the demo cases.
  const taken = new Set((await db.selectFrom('cases').select('id').execute()).map((r) => r.id));
  const uniqueId = (): number => { let id: number; do id = randomInt(1, 2 ** 31); while (taken.has(id)); taken.add(id); return id; };
  const batch = 500;
  for (let start = 0; start < n; start += batch) {
    await db.transaction().execute(async (tx) => {
      const rows = [];
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const unit = units[i % units.length]!;
        const category = CATEGORIES[i % CATEGORIES.length]!;
        const status = STATUSES[i % STATUSES.length]!;
        const received_on = addDays(today, -(i % 400));
        rows.push({
          id: uniqueId(),
          case_ref: `RC-B${String(i).padStart(7, '0').slice(0, 3)}-${String(i).padStart(7, '0').slice(3)}`,
          access_hash: b64(32), reporter_pk: b64(32), mode: 'anonymous', category_id: category.id, unit_id: unit.id,
          team_id: category.team ?? unit.psu_team_id, status, received_on,
          outcome: status === 'closed' ? 'no_case_to_answer' : null,
          report_nonce: b64(24), report_ct: b64(reportSize()), identity_nonce: null, identity_ct: null,
          reporter_key: b64(80), reporter_identity_key: null, next_due_on: clockFor(received_on, status).due,
        });
      }
      const inserted = await tx.insertInto('cases').values(rows).returning(['id', 'team_id', 'received_on', 'status']).execute();
      const keys = inserted.flatMap((c) => [
        ...members.filter((m) => m.team_id === c.team_id).map((m) => ({ case_id: c.id, recipient_id: m.id, kind: 'staff' as const, sealed: b64(80), identity: 0 })),
        { case_id: c.id, recipient_id: recovery.id, kind: 'recovery' as const, sealed: b64(80), identity: 0 },
      ]);
      for (let k = 0; k < keys.length; k += 400) await tx.insertInto('case_keys').values(keys.slice(k, k + 400)).execute();
      await tx.insertInto('case_history').values(inserted.map((c) => ({ case_id: c.id, n: 1, status: c.status, on: c.received_on }))).execute();
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: seed-large.ts <db> [N]');
  const handle = createDb(target);
  const today = new Date().toISOString().slice(0, 10);
  await prepareDemoDatabase(handle, { today, demoSignIn: [] });
  const n = Number(process.argv[3] ?? 100_000);
  const t0 = performance.now();
  await seedLarge(handle.db, n, today);
  console.log(`seeded ${n} synthetic cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await handle.close();
}
