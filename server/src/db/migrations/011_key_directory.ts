// The certified key directory (docs/PROTOCOL.md "Key certificates"). A recipient is
// a key with a certificate: signed by the organisation (leads' signing keys, the
// recovery key) or by a lead of the team (members' keys). The server stores the
// certificates as it received them; browsers check the signatures. The key log is
// each team's hash chain of certifications and revocations, its heads signed by the
// certifying lead. Lead signing public keys are kept so the organisation's ceremony
// can see which leads are waiting for a certificate.
import type { Kysely, Migration } from 'kysely';

export const keyDirectory: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('key_certificates')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      // '' for the recovery key, which belongs to no team.
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      // null for the recovery key.
      .addColumn('staff_id', 'text')
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('sees_identity', 'integer', (c) => c.notNull())
      .addColumn('signer', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('sig', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('replaces', 'text')
      .addColumn('revoked_on', 'text')
      .execute();
    await db.schema.createIndex('key_certificates_team').on('key_certificates').columns(['team_id', 'kind', 'revoked_on']).execute();
    await db.schema.createIndex('key_certificates_staff').on('key_certificates').columns(['staff_id']).execute();

    await db.schema.createTable('key_log')
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('cert_hash', 'text', (c) => c.notNull())
      .addColumn('on', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('head_signer', 'text')
      .addColumn('head_sig', 'text')
      .addPrimaryKeyConstraint('key_log_pk', ['team_id', 'seq'])
      .execute();

    await db.schema.createTable('lead_signing_keys')
      .addColumn('staff_id', 'text', (c) => c.primaryKey().references('staff.id').onDelete('cascade'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .execute();
  },
};
