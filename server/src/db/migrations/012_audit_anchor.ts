// Trust the keys, not the administrator. (1) The audit log's signed head: one
// row holding the last entry's seq and hash, the day, and an Ed25519 signature
// by a key kept outside the database (rewritten in the same transaction as each
// append), so a database writer can no longer cut the end off the chain or
// recompute it unnoticed. (2) The staff sign-in keys (fake salts, CSRF, device
// cookies) are now derived from the server secret instead of kept here: their
// rows are deleted, so a database copy holds none of them. TOTP secrets are
// encrypted at start-up by the app (a migration imports no app code and has no
// key), which refuses to use a plaintext one meanwhile.
import type { Kysely, Migration } from 'kysely';

export const auditAnchor: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .execute();
    await db.deleteFrom('settings').where('key', 'in', ['staff_fake_salt_key', 'staff_csrf_key', 'staff_device_key']).execute();
  },
};
