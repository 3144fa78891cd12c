// Staff sign-in, sessions, triage work (assignment, recusal, read markers,
// notes, internal-key wraps) and the audit log. Like 001 it takes Kysely<any>
// and imports no app code; the due-date arithmetic for the backfill is
// repeated here on purpose so this file never changes with the app.
import { sql, type Kysely, type Migration } from 'kysely';

type Kind = 'sqlite' | 'postgres';

const fmt = (d: Date): string => d.toISOString().slice(0, 10);
function dueOn(receivedOn: string, status: string): string {
  const [y, m, d] = receivedOn.split('-').map(Number) as [number, number, number];
  if (status === 'closed') return '9999-12-31';
  if (status === 'received') return fmt(new Date(Date.UTC(y, m - 1, d + 7)));
  const last = new Date(Date.UTC(y, m + 2 + 1, 0)).getUTCDate();
  return fmt(new Date(Date.UTC(y, m + 2, Math.min(d, last))));
}

export function staff(kind: Kind): Migration {
  // Milliseconds since the epoch do not fit PostgreSQL's 32-bit integer.
  const ms = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      const staffCols: [string, string][] = [
        ['login_hash', 'text'], ['kdf_salt', 'text'], ['kdf_opslimit', 'integer'], ['kdf_memlimit', 'integer'],
        ['sk_nonce', 'text'], ['sk_ct', 'text'], ['totp_secret', 'text'], ['totp_last_step', ms], ['enrol_hash', 'text'],
      ];
      for (const [name, type] of staffCols) await db.schema.alterTable('staff').addColumn(name, sql.raw(type)).execute();
      // 'none' = holds a key but cannot sign in (demo staff, or a row from before sign-in existed).
      await db.schema.alterTable('staff').addColumn('state', 'text', (c) => c.notNull().defaultTo('none')).execute();
      await db.schema.alterTable('team_members').addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0)).execute();

      await db.schema.alterTable('cases').addColumn('assigned_to', 'text').execute();
      // The date the open clock runs out ('9999-12-31' once closed), kept on every status change so
      // the inbox order "most overdue first" is a plain index scan.
      await db.schema.alterTable('cases').addColumn('next_due_on', 'text').execute();
      const rows = await db.selectFrom('cases').select(['id', 'received_on', 'status']).execute();
      for (const r of rows) {
        await db.updateTable('cases').set({ next_due_on: dueOn(r.received_on, r.status) }).where('id', '=', r.id).execute();
      }
      await sql`CREATE INDEX cases_inbox ON cases (team_id, next_due_on, received_on DESC, id DESC)`.execute(db);
      await sql`CREATE INDEX case_keys_recipient ON case_keys (recipient_id, case_id)`.execute(db);

      await db.schema.createTable('staff_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('csrf_hash', 'text', (c) => c.notNull())
        .addColumn('created_ms', sql.raw(ms), (c) => c.notNull())
        .addColumn('seen_ms', sql.raw(ms), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_sessions_staff').on('staff_sessions').column('staff_id').execute();

      // Keyed by SHA-256 of the lowercased username, existing or not, so unknown names back off alike.
      await db.schema.createTable('login_attempts')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until_ms', sql.raw(ms), (c) => c.notNull())
        .execute();

      await db.schema.createTable('case_conflicts')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('knows_people', 'integer', (c) => c.notNull())
        .addColumn('on', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_conflicts_pk', ['case_id', 'staff_id'])
        .execute();

      await db.schema.createTable('case_reads')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('read_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_reads_pk', ['case_id', 'staff_id'])
        .execute();

      await db.schema.createTable('internal_keys')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('internal_keys_pk', ['case_id', 'recipient_id'])
        .execute();

      const notes = kind === 'postgres'
        ? db.schema.createTable('notes').addColumn('seq', 'serial', (c) => c.primaryKey())
        : db.schema.createTable('notes').addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
      await notes
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('on', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('ct', 'text', (c) => c.notNull())
        .addUniqueConstraint('notes_case_id', ['case_id', 'id'])
        .execute();

      // seq is assigned by the appender (max + 1) so the primary key itself forbids a fork in the chain.
      await db.schema.createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('case_ref', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
