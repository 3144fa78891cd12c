// Staff keys (docs/PROTOCOL.md "Keys and wraps"): a passphrase goes through Argon2id in
// the browser; two independent values come out of it. The login secret goes
// to the server, the wrapping key never leaves the browser, so the server holds
// nothing that unlocks a staff private key.
import { concat, fromB64u, toB64u, utf8 } from './encoding.ts';
import { adNote, generateId, openBytes, openDoc, sealBytes, sealDoc } from './envelope.ts';
import { ready, sodium } from './sodium.ts';
import { readySumo } from './sumo.ts';
import type { B64u, Envelope, PublicKey, SecretKey, SymmetricKey } from './types.ts';

export interface KdfParams {
  salt: string;
  opslimit: number;
  memlimit: number;
}

/** At least opslimit 3 and 64 MiB: 256 MiB is too much for a phone's WebAssembly memory. */
export const MIN_OPSLIMIT = 3;
export const MIN_MEMLIMIT = 64 * 1024 * 1024;
export const LABEL_LOGIN_SECRET = 'rc1 staff login secret';
export const LABEL_WRAPPING_KEY = 'rc1 staff key wrapping';

/** Loads both libsodium builds; staff pages call this once before anything else. */
export async function readyStaff(): Promise<void> {
  await Promise.all([ready(), readySumo()]);
}

export function newKdfParams(): KdfParams {
  return { salt: toB64u(sodium().randombytes_buf(16)), opslimit: MIN_OPSLIMIT, memlimit: MIN_MEMLIMIT };
}

export interface StaffSecrets {
  /** Sent to the server at sign-in; the server stores only its SHA-256. */
  loginSecret: B64u;
  /** Unwraps the staff private key; stays in the browser's memory. */
  wrappingKey: SymmetricKey;
}

export async function deriveStaffSecrets(passphrase: string, kdf: KdfParams): Promise<StaffSecrets> {
  if (kdf.opslimit < MIN_OPSLIMIT || kdf.memlimit < MIN_MEMLIMIT) throw new RangeError('KDF parameters below the rc1 minimum');
  const sumo = await readySumo();
  const salt = fromB64u(kdf.salt);
  if (salt.length !== sumo.crypto_pwhash_SALTBYTES) throw new RangeError('bad salt length');
  const master = sumo.crypto_pwhash(32, utf8(passphrase.normalize('NFC')), salt, kdf.opslimit, kdf.memlimit, sumo.crypto_pwhash_ALG_ARGON2ID13);
  const s = sodium();
  const secrets = {
    loginSecret: toB64u(s.crypto_generichash(32, master, utf8(LABEL_LOGIN_SECRET))),
    wrappingKey: s.crypto_generichash(32, master, utf8(LABEL_WRAPPING_KEY)) as SymmetricKey,
  };
  s.memzero(master);
  return secrets;
}

const adStaffKey = (staffId: string): Uint8Array => concat(utf8('rc1/staff-key'), utf8(staffId));

export function sealStaffSecretKey(wrappingKey: SymmetricKey, staffId: string, secretKey: SecretKey): Envelope {
  return sealBytes(wrappingKey, adStaffKey(staffId), secretKey);
}

/** Throws when the passphrase (hence the wrapping key) is wrong or the record was moved to another account. */
export function openStaffSecretKey(wrappingKey: SymmetricKey, staffId: string, env: { nonce: string; ct: string }): SecretKey {
  const sk = openBytes(wrappingKey, adStaffKey(staffId), env);
  if (sk.length !== 32) throw new RangeError('bad secret key length');
  return sk as SecretKey;
}

export function publicKeyOf(secretKey: SecretKey): PublicKey {
  return sodium().crypto_scalarmult_base(secretKey) as PublicKey;
}

/** Triage-only assessment, sealed inside an internal note (the server may not know it). */
export interface Assessment {
  iopcMandatoryReferral: boolean;
  iopcGrounds: string[];
  severity: 'no_case_to_answer' | 'misconduct' | 'gross_misconduct';
  welfareConcern: boolean;
  victimisationRisk: boolean;
}

export interface NoteContent {
  text: string;
  assessment?: Assessment;
}

/** Internal notes use the case's internalKey, never caseKey, which the reporter also holds. */
export function sealNote(internalKey: SymmetricKey, reporterPk: PublicKey, content: NoteContent): { id: B64u; nonce: B64u; ct: B64u } {
  const id = generateId();
  const env = sealDoc(internalKey, adNote(reporterPk, id), { schema: 'rc1/note', ...content });
  return { id: toB64u(id), ...env };
}

export function openNote(internalKey: SymmetricKey, reporterPk: PublicKey, note: { id: string; nonce: string; ct: string }): NoteContent {
  const doc = openDoc(internalKey, adNote(reporterPk, fromB64u(note.id)), note, 'rc1/note') as NoteContent & { schema: 'rc1/note' };
  return doc.assessment ? { text: doc.text, assessment: doc.assessment } : { text: doc.text };
}
