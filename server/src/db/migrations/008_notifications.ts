// Staff notifications (server/src/notifications/). An email address per staff
// account, each user's choices, the outbox of events (written in the same
// transaction as the event), the mails composed from them, and a marker per
// scheduled run. No table here holds a case id, reference, category or unit:
// a notification says what kind of thing happened and how many, nothing more.
// Times: an event row holds only the slot it will be sent in (for reporter-
// caused events, the batch slot), never the moment it happened. Ids are random
// text, not serials, so row order says nothing about the order of cases.
import { sql, type Kysely, type Migration } from 'kysely';

type Kind = 'sqlite' | 'postgres';

export function notifications(kind: Kind): Migration {
  const ms = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('staff').addColumn('email', 'text').execute();

      await db.schema.createTable('notification_prefs')
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('delivery', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_prefs_pk', ['staff_id', 'kind'])
        .execute();

      // One row per recipient per event; composed into mails when send_at_ms is reached, then deleted.
      await db.schema.createTable('notification_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('send_at_ms', sql.raw(ms), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notification_events_due').on('notification_events').column('send_at_ms').execute();

      // One row per mail. claim/claim_until_ms: the sender instance holding it (a lease); state 'sent' is the marker.
      await db.schema.createTable('notification_mail')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('slot_ms', sql.raw(ms), (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_try_ms', sql.raw(ms), (c) => c.notNull())
        .addColumn('claim', 'text')
        .addColumn('claim_until_ms', sql.raw(ms), (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('notification_mail_due').on('notification_mail').columns(['state', 'next_try_ms']).execute();

      // A scheduled job (daily clocks, weekly summary) runs once per day: the primary key is the guard.
      await db.schema.createTable('notification_runs')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_runs_pk', ['job', 'day'])
        .execute();
    },
  };
}
