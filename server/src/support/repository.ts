// Support contacts: Kysely only. Public information (names, numbers, links), stored in the clear.
import type { Kysely, Transaction } from 'kysely';
import type { Database, SupportContactsTable } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function listContacts(db: Db) {
  return db.selectFrom('support_contacts').leftJoin('commands', 'commands.id', 'support_contacts.command_id')
    .selectAll('support_contacts').select('commands.label as command_label')
    .orderBy('support_contacts.sort').orderBy('support_contacts.name').orderBy('support_contacts.id').execute();
}

export async function commands(db: Db) {
  return db.selectFrom('commands').select(['id', 'label']).orderBy('label').execute();
}

export async function commandExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('commands').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertContact(db: Db, row: SupportContactsTable): Promise<void> {
  await db.insertInto('support_contacts').values(row).execute();
}

export async function updateContact(db: Db, id: string, row: Omit<SupportContactsTable, 'id'>): Promise<boolean> {
  const r = await db.updateTable('support_contacts').set(row).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteContact(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('support_contacts').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
