// Private records (issue #13 part 3): entries sealed in the holder's browser under a
// record key only their token unwraps. What is stored is ciphertext, the wrapped key,
// the hash of the derived access key, and each entry's day: no time, no author, no
// team. Rows are deleted, never flagged, when the holder deletes the record.
// - records.reference: a random RC-XXXX-XXXX made at creation; entry receipts name it,
//   and the case the record becomes takes it as its case_ref, so they keep matching.
// - records.case_id is set when the holder turns the record into a report; the access
//   hash and wrapped key are then cleared (the case has its own, from the same token).
// - record_entries are numbered within their record (n), never across records.
// - receipt: the signed receipt over the entry's sealed bytes (server/src/receipts),
//   null until receipts are issued.
// SQLite: WITHOUT ROWID, so no hidden rowid numbers records or entries in arrival order.
import { sql, type Kysely, type Migration } from 'kysely';

export const records = (kind: 'sqlite' | 'postgres'): Migration => ({
  async up(db: Kysely<any>): Promise<void> {
    const noRowid = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(b: T): T => (kind === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b);
    await noRowid(db.schema.createTable('records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('access_hash', 'text', (c) => c.unique())
      .addColumn('holder_key', 'text')
      .addColumn('case_id', 'integer', (c) => c.unique().references('cases.id').onDelete('cascade'))
      .addColumn('last_n', 'integer', (c) => c.notNull().defaultTo(0)))
      .execute();
    await noRowid(db.schema.createTable('record_entries')
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('on', 'text', (c) => c.notNull())
      .addColumn('entry_nonce', 'text', (c) => c.notNull())
      .addColumn('entry_ct', 'text', (c) => c.notNull())
      .addColumn('subject_nonce', 'text', (c) => c.notNull())
      .addColumn('subject_ct', 'text', (c) => c.notNull())
      .addColumn('sealed_hash', 'text', (c) => c.notNull())
      .addColumn('receipt', 'text')
      .addPrimaryKeyConstraint('record_entries_pk', ['record_id', 'id'])
      .addUniqueConstraint('record_entries_n', ['record_id', 'n']))
      .execute();
  },
});
