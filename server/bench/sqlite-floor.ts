// A floor for durable submissions on SQLite: after the submissions run, the same rows a submission
// writes (its case with the inbox's indexes, its key wraps, first history entry, reporter key and
// proof-of-work spend, copied from cases the portal stored, with fresh random ids, token hashes and
// keys) are inserted again into that database with raw better-sqlite3 prepared statements, ten to a
// transaction as the group commit batches them, with the server's pragmas (WAL, synchronous=NORMAL;
// checkpoints counted). No HTTP, no validation, no signature, no query builder: only SQLite's own
// work. The CPU it takes per submission bounds what any server built on it can reach on one core.
import { randomBytes, randomInt } from 'node:crypto';
import SQLite from 'better-sqlite3';

const BATCH = 10;
const SUBMISSIONS = Number(process.env.BENCH_FLOOR_SUBMISSIONS ?? 5000);

type Row = Record<string, unknown>;
const b64u = (n: number): string => randomBytes(n).toString('base64url');
const ref = (): string => `RC-${randomBytes(3).toString('hex').toUpperCase()}-${randomBytes(3).toString('hex').toUpperCase()}`;

function insertOf(db: SQLite.Database, table: string, row: Row): SQLite.Statement {
  const cols = Object.keys(row);
  return db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
}

/** CPU microseconds per submission for SQLite alone, measured on `file` (the bench's database, server stopped). */
export function sqliteFloor(file: string): { cpuUsPerSubmission: number; submissions: number } {
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const templates = db.prepare('SELECT * FROM cases ORDER BY id LIMIT 32').all() as Row[];
    if (templates.length === 0) throw new Error('no cases to copy');
    const keysOf = db.prepare('SELECT * FROM case_keys WHERE case_id = ?');
    const historyOf = db.prepare('SELECT * FROM case_history WHERE case_id = ?');
    const shapes = templates.map((c) => ({ c, keys: keysOf.all(c.id) as Row[], history: historyOf.all(c.id) as Row[] }));
    const first = shapes[0]!;
    const ins = {
      cases: insertOf(db, 'cases', first.c),
      keys: insertOf(db, 'case_keys', first.keys[0]!),
      history: insertOf(db, 'case_history', first.history[0]!),
      reporterKey: db.prepare('INSERT INTO reporter_keys (reporter_pk) VALUES (?)'),
      spent: db.prepare('INSERT INTO pow_spent (id, expires_at) VALUES (?, ?)'),
    };
    const begin = db.prepare('BEGIN');
    const commit = db.prepare('COMMIT');
    const submitOne = (n: number): void => {
      const s = shapes[n % shapes.length]!;
      const pk = b64u(32);
      // Random ids, as the portal's: one already taken is drawn again (the insert fails before writing).
      let id = 0;
      for (;;) {
        id = randomInt(1, 2 ** 31);
        try {
          ins.cases.run(Object.values({ ...s.c, id, case_ref: ref(), access_hash: b64u(32), reporter_pk: pk }));
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
        }
      }
      for (const k of s.keys) ins.keys.run(Object.values({ ...k, case_id: id }));
      for (const h of s.history) ins.history.run(Object.values({ ...h, case_id: id }));
      ins.reporterKey.run(pk);
      ins.spent.run(b64u(16), Date.now() + 300_000);
    };
    const cpu0 = process.cpuUsage();
    let done = 0;
    while (done < SUBMISSIONS) {
      begin.run();
      for (let i = 0; i < BATCH; i++) submitOne(done++);
      commit.run();
    }
    const cpu = process.cpuUsage(cpu0);
    return { cpuUsPerSubmission: (cpu.user + cpu.system) / done, submissions: done };
  } finally {
    db.close();
  }
}
