// Initial schema. Migrations take Kysely<any> and never import app code; the
// only dialect difference is how an auto-increment key is spelt.
import type { Kysely, Migration, CreateTableBuilder } from 'kysely';

type Kind = 'sqlite' | 'postgres';

function serial<T extends string>(kind: Kind, t: CreateTableBuilder<T, never>, name: string): CreateTableBuilder<T, never> {
  return kind === 'postgres'
    ? t.addColumn(name, 'serial', (c) => c.primaryKey())
    : t.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
}

export function initial(kind: Kind): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('central', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('commands')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('psu_team_id', 'text', (c) => c.notNull().references('teams.id'))
        .execute();
      await db.schema
        .createTable('units')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('command_id', 'text', (c) => c.notNull().references('commands.id'))
        .execute();
      await db.schema
        .createTable('categories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.references('teams.id'))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text')
        .addColumn('created_on', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('team_members')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
        .addColumn('sees_identity', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'staff_id'])
        .execute();
      await db.schema
        .createTable('recovery_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull().unique())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await serial(kind, db.schema.createTable('cases'), 'id')
        .addColumn('case_ref', 'text', (c) => c.notNull().unique())
        .addColumn('access_hash', 'text', (c) => c.notNull().unique())
        .addColumn('reporter_pk', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
        .addColumn('unit_id', 'text', (c) => c.references('units.id'))
        .addColumn('avoid_own_unit', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('report_nonce', 'text', (c) => c.notNull())
        .addColumn('report_ct', 'text', (c) => c.notNull())
        .addColumn('identity_nonce', 'text')
        .addColumn('identity_ct', 'text')
        .addColumn('reporter_key', 'text', (c) => c.notNull())
        .addColumn('reporter_identity_key', 'text')
        .execute();
      await db.schema
        .createTable('case_keys')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('identity', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('case_keys_pk', ['case_id', 'recipient_id', 'identity'])
        .execute();
      await serial(kind, db.schema.createTable('case_history'), 'seq')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('on', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_history_case').on('case_history').columns(['case_id', 'seq']).execute();
      await serial(kind, db.schema.createTable('messages'), 'seq')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('on', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('ct', 'text', (c) => c.notNull())
        // Unique per case, not globally, so a message id cannot probe other cases.
        .addUniqueConstraint('messages_case_id', ['case_id', 'id'])
        .execute();
    },
  };
}
