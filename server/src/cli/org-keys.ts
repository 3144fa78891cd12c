// npm run keys:org -- <command>: the organisation key ceremony, run OFFLINE on a
// machine that never serves the portal (docs/OPERATIONS.md "Organisation key").
//   init [--out org-key.json]                 make the organisation signing key (Ed25519);
//                                             prints its public half for the intranet and the
//                                             client build (VITE_ORG_PUBLIC_KEY / client/org-key.json)
//   public [--key org-key.json]               print the public half again
//   certify-lead --team T --staff ID --lead-key B64 [--issued YYYY-MM-DD] [--key org-key.json]
//   certify-recovery --recovery-key B64 [--issued YYYY-MM-DD] [--key org-key.json]
// A certificate is printed as JSON, { certificate, staffId }, for an administrator to
// install (POST /api/v1/staff/admin/key-certificates, or KEY_CERTIFICATES_FILE at setup).
// The private half is sealed under a passphrase (Argon2id, then the envelope AEAD that
// seals staff keys) and is only ever opened in this process. Passphrase: ORG_KEY_PASSPHRASE
// or typed on stdin.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  concat, fromB64u, isB64u, newSigningKeyPair, openBytes, ready, sealBytes, signCert, signerIdOf, signingKeyPairFromSeed, toB64u, utf8,
  type Certificate, type SigningKeyPair,
} from '../../../shared/src/crypto/index.ts';
import { deriveStaffSecrets, newKdfParams, readyStaff, type KdfParams } from '../../../shared/src/crypto/staff.ts';
import { todayInLondon } from '../../../shared/src/domain/clock.ts';
import { recoveryKeyId } from '../directory/repository.ts';

interface KeyFile {
  kind: 'rc2 organisation signing key';
  publicKey: string;
  kdf: KdfParams;
  sealed: { nonce: string; ct: string };
}

const AD = (publicKey: string): Uint8Array => concat(utf8('rc2/org-signing-key'), utf8(publicKey));
// Stronger than a staff key's: the ceremony machine has the memory, and this key certifies everyone.
const ORG_KDF = (): KdfParams => ({ ...newKdfParams(), opslimit: 4, memlimit: 256 * 1024 * 1024 });

async function passphrase(confirm: boolean): Promise<string> {
  const fromEnv = process.env.ORG_KEY_PASSPHRASE;
  if (fromEnv) return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const first = await rl.question('Organisation key passphrase: ');
    if (confirm && (await rl.question('Again: ')) !== first) throw new Error('the passphrases differ');
    return first;
  } finally {
    rl.close();
  }
}

async function openKey(path: string): Promise<SigningKeyPair> {
  const file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  if (file.kind !== 'rc2 organisation signing key') throw new Error(`${path} is not an organisation key file`);
  const { wrappingKey } = await deriveStaffSecrets(await passphrase(false), file.kdf);
  const seed = openBytes(wrappingKey, AD(file.publicKey), file.sealed);
  const kp = signingKeyPairFromSeed(seed);
  if (toB64u(kp.publicKey) !== file.publicKey) throw new Error('the key file does not match its public key');
  return kp;
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' }, key: { type: 'string' }, team: { type: 'string' }, staff: { type: 'string' },
    'lead-key': { type: 'string' }, 'recovery-key': { type: 'string' }, issued: { type: 'string' },
  },
});
const keyPath = values.key ?? 'org-key.json';
const issued = values.issued ?? todayInLondon();
const need = (v: string | undefined, what: string): string => {
  if (!v) throw new Error(`missing ${what}`);
  return v;
};
const key32 = (v: string | undefined, what: string): Uint8Array => {
  if (!v || !isB64u(v, 32)) throw new Error(`${what} must be a base64url 32-byte key`);
  return fromB64u(v);
};

async function main(): Promise<void> {
  await Promise.all([ready(), readyStaff()]);
  const cmd = positionals[0];
  if (cmd === 'init') {
    const out = values.out ?? 'org-key.json';
    if (existsSync(out)) throw new Error(`${out} exists: refusing to overwrite an organisation key`);
    const kp = newSigningKeyPair();
    const kdf = ORG_KDF();
    const { wrappingKey } = await deriveStaffSecrets(await passphrase(true), kdf);
    const publicKey = toB64u(kp.publicKey);
    const file: KeyFile = { kind: 'rc2 organisation signing key', publicKey, kdf, sealed: sealBytes(wrappingKey, AD(publicKey), kp.secretKey.slice(0, 32)) };
    writeFileSync(out, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    console.log(publicKey);
    return;
  }
  if (cmd === 'public') {
    console.log((JSON.parse(readFileSync(keyPath, 'utf8')) as KeyFile).publicKey);
    return;
  }
  const org = cmd === 'certify-lead' || cmd === 'certify-recovery' ? await openKey(keyPath) : null;
  if (!org) throw new Error('usage: keys:org -- init | public | certify-lead | certify-recovery (see the head of server/src/cli/org-keys.ts)');
  let cert: Certificate;
  let staffId: string | null = null;
  if (cmd === 'certify-lead') {
    const lead = key32(values['lead-key'], '--lead-key');
    staffId = need(values.staff, '--staff');
    cert = { kind: 'lead', team: need(values.team, '--team'), subject: signerIdOf(lead), key: lead, seesIdentity: false, issued, replaces: null, signer: org.publicKey };
  } else {
    const recovery = key32(values['recovery-key'], '--recovery-key');
    cert = { kind: 'recovery', team: '', subject: recoveryKeyId(toB64u(recovery)), key: recovery, seesIdentity: true, issued, replaces: null, signer: org.publicKey };
  }
  console.log(JSON.stringify({ certificate: signCert(cert, org), staffId }));
}

main().catch((err: unknown) => {
  console.error(`keys:org: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
