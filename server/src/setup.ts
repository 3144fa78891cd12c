// Prepares a production database for the app: migrate, install the
// organisation's recovery key, and check that the force's structure has been
// loaded. Demo data never comes from here: seeds/ has its own entry point.
import { readFileSync } from 'node:fs';
import { certHash, fromB64u, isB64u, isUsablePublicKey, ready, type CertWire } from '../../shared/src/crypto/index.ts';
import { todayInLondon } from '../../shared/src/domain/clock.ts';
import type { Db } from './db/dialect.ts';
import { migrate } from './db/migrate.ts';
import { setRecoveryKey } from './directory/repository.ts';
import { getOrgKey, setOrgKey } from './directory/certificates.ts';
import { installOrgCertificate } from './directory/service.ts';
import { getCentralTeam } from './intake/repository.ts';

export interface PrepareOptions {
  /** Base64url X25519 public key of the organisation's offline recovery key. */
  recoveryPublicKey?: string | undefined;
  /** Base64url Ed25519 public key of the organisation's offline signing key (npm run keys:org). */
  orgPublicKey?: string | undefined;
  /** A JSON array of { certificate, staffId } printed by npm run keys:org, installed once each. */
  keyCertificatesFile?: string | undefined;
}

async function installCertificates(handle: Db, file: string): Promise<void> {
  const list = JSON.parse(readFileSync(file, 'utf8')) as { certificate: CertWire; staffId: string | null }[];
  if (!Array.isArray(list)) throw new Error('KEY_CERTIFICATES_FILE must hold a JSON array of { certificate, staffId }');
  for (const { certificate, staffId } of list) {
    const known = await handle.db.selectFrom('key_certificates').select('hash').where('hash', '=', certHash(certificate)).executeTakeFirst();
    if (!known) await installOrgCertificate(handle.db, certificate, staffId ?? null, null, todayInLondon());
  }
}

export async function prepareDatabase(handle: Db, opts: PrepareOptions): Promise<void> {
  await ready();
  if (opts.recoveryPublicKey === undefined || !isB64u(opts.recoveryPublicKey, 32)) {
    // Without it a case could be lost for good when a team forgets its passphrases.
    throw new Error('RECOVERY_PUBLIC_KEY (base64url, 32 bytes) is required outside demo mode');
  }
  // Every case is wrapped to it: a small-order key would let anyone open those wraps.
  if (!isUsablePublicKey(fromB64u(opts.recoveryPublicKey))) throw new Error('RECOVERY_PUBLIC_KEY is not a usable X25519 key (all zero or small order)');
  await migrate(handle);
  await setRecoveryKey(handle.db, opts.recoveryPublicKey);
  // Without an organisation key (and a certificate for the recovery key) nothing is a recipient: intake answers 503.
  if (opts.orgPublicKey !== undefined) {
    if (!isB64u(opts.orgPublicKey, 32)) throw new Error('ORG_PUBLIC_KEY must be a base64url 32-byte Ed25519 public key');
    if ((await getOrgKey(handle.db)) !== opts.orgPublicKey) await setOrgKey(handle.db, opts.orgPublicKey);
  }
  if (opts.keyCertificatesFile) await installCertificates(handle, opts.keyCertificatesFile);
  if ((await getCentralTeam(handle.db)) === null) {
    throw new Error('no force structure in the database: load it first with `npm run structure:load`');
  }
}
