// Files in private record entries (issue #13, docs/PROTOCOL.md "Private records").
// - uploads.record_id: set when an entry of that record takes the file, in the
//   entry's transaction. Never the entry's id: the server keeps no link between
//   a file and the entry that names it (the entry's sealed body does). While a
//   holder's upload is not yet in an entry it has record_id null and the
//   record's access hash (as a report's pending upload has its token's), so it
//   expires like any abandoned upload. On conversion the record's uploads join
//   the case (case_id) and lose the access hash with the record.
// - uploads.receipt: the signed attachment receipt of a record file, issued in
//   the entry's transaction and kept, like record_entries.receipt, so the holder
//   sees it on every visit. Null for every other upload.
import type { Kysely, Migration } from 'kysely';

export const recordFiles: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('uploads').addColumn('record_id', 'text').execute();
    await db.schema.alterTable('uploads').addColumn('receipt', 'text').execute();
    await db.schema.createIndex('uploads_record').on('uploads').column('record_id').execute();
  },
};
