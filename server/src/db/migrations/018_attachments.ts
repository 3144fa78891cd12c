// Attachments (docs/PROTOCOL.md "Attachments"): uploads and their sealed chunks.
// - uploads: one row per file being sent or sent. A reporter's upload for a
//   report not yet filed has no case_id, only the access hash of the token the
//   report will carry; the report's own transaction links it. Days only, never
//   a time (created_on lets abandoned uploads expire; completed_on is shown).
// - attachment_chunks: the default chunk store (attachments/repository.ts),
//   one row per sealed 64 KiB chunk. Raw bytes (BLOB / bytea) rather than the
//   base64url text used elsewhere: chunks are the bulk of the database and
//   text would add a third. Both tables WITHOUT ROWID on SQLite: a rowid would
//   number uploads in the order they came.
import { sql, type Kysely, type Migration } from 'kysely';

export const attachments = (kind: 'sqlite' | 'postgres'): Migration => ({
  async up(db: Kysely<any>): Promise<void> {
    const uploads = db.schema.createTable('uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('cascade'))
      .addColumn('access_hash', 'text')
      .addColumn('staff_id', 'text')
      .addColumn('sender', 'text', (c) => c.notNull())
      .addColumn('padded_size', 'integer', (c) => c.notNull())
      .addColumn('chunks', 'integer', (c) => c.notNull())
      .addColumn('meta_nonce', 'text', (c) => c.notNull())
      .addColumn('meta_ct', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('sealed_hash', 'text')
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('completed_on', 'text');
    await (kind === 'sqlite' ? uploads.modifyEnd(sql`without rowid`) : uploads).execute();
    await db.schema.createIndex('uploads_case').on('uploads').column('case_id').execute();
    await db.schema.createIndex('uploads_access').on('uploads').column('access_hash').execute();
    await db.schema.createIndex('uploads_created').on('uploads').column('created_on').execute();

    const chunks = db.schema.createTable('attachment_chunks')
      .addColumn('upload_id', 'text', (c) => c.notNull().references('uploads.id').onDelete('cascade'))
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('data', kind === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
      .addPrimaryKeyConstraint('attachment_chunks_pk', ['upload_id', 'idx']);
    await (kind === 'sqlite' ? chunks.modifyEnd(sql`without rowid`) : chunks).execute();
  },
});
