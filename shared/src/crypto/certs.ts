// Key certificates (docs/PROTOCOL.md "Key certificates"): who may be a recipient is
// decided by signatures, not by the server's directory. The organisation's offline
// key certifies team leads' signing keys and the recovery key; a lead certifies the
// X25519 keys of their team's members. A browser wraps a key only to a recipient
// whose chain ends at the organisation key pinned in its build.
import { concat, fromB64u, fromUtf8, toB64u, utf8 } from './encoding.ts';
import { sodium } from './sodium.ts';
import type { B64u } from './types.ts';
import { CROCKFORD } from '../domain/reference.ts';

export type CertKind = 'member' | 'lead' | 'recovery';

export interface Certificate {
  kind: CertKind;
  /** Team id; '' for the recovery key, which belongs to no team. */
  team: string;
  /** The opaque recipient id (member, recovery) or signer id (lead). */
  subject: string;
  /** X25519 public key (member, recovery) or Ed25519 signing key (lead), 32 bytes. */
  key: Uint8Array;
  seesIdentity: boolean;
  /** YYYY-MM-DD. */
  issued: string;
  /** certHash of the certificate this one replaces, or null. */
  replaces: Uint8Array | null;
  /** Ed25519 public key of the signer, 32 bytes. */
  signer: Uint8Array;
}

/** A certificate on the wire: its canonical bytes and the signature over them. */
export interface CertWire {
  body: B64u | string;
  sig: B64u | string;
}

export const CERT_MAGIC = 'RCK2';
export const LABEL_CERT_SIGNATURE = 'rc2 key certificate';
export const LABEL_CERT_HASH = 'rc2 certificate id';
export const LABEL_FINGERPRINT = 'rc2 key fingerprint';
export const LABEL_RECIPIENT_ID = 'rc2 recipient id';
export const LABEL_SIGNER_ID = 'rc2 signer id';
export const LABEL_LEAD_SEED = 'rc2 lead signing seed';
export const LABEL_LOG_ENTRY = 'rc2 key log entry';
export const LABEL_LOG_HEAD = 'rc2 key log head';
/** At most a member certificate and its lead's: a longer chain is refused, not walked. */
export const MAX_CHAIN = 2;

const KINDS: readonly CertKind[] = ['member', 'lead', 'recovery'];
const SUBJECT = /^[A-Za-z0-9_-]{1,64}$/;
const TEAM = /^([a-z0-9][a-z0-9-]{0,63})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why a chain was refused: shown to no reporter verbatim, but logged in tests and to staff. */
export class KeyChainError extends Error {
  constructor(readonly reason: string) {
    super(`key certificate refused: ${reason}`);
    this.name = 'KeyChainError';
  }
}

/** One length byte, then the bytes (the key log's encoding uses it too). */
export const field = (bytes: Uint8Array): Uint8Array => {
  if (bytes.length > 255) throw new RangeError('certificate field too long');
  return concat(Uint8Array.of(bytes.length), bytes);
};

/** The canonical bytes: "RCK2" then each field as one length byte and its bytes, seesIdentity as one byte. */
export function encodeCert(c: Certificate): Uint8Array {
  if (!KINDS.includes(c.kind) || !TEAM.test(c.team) || !SUBJECT.test(c.subject) || !DAY.test(c.issued)) throw new RangeError('bad certificate field');
  if (c.key.length !== 32 || c.signer.length !== 32 || (c.replaces !== null && c.replaces.length !== 32)) throw new RangeError('bad certificate key length');
  return concat(
    utf8(CERT_MAGIC), field(utf8(c.kind)), field(utf8(c.team)), field(utf8(c.subject)), field(c.key),
    Uint8Array.of(c.seesIdentity ? 1 : 0), field(utf8(c.issued)), field(c.replaces ?? new Uint8Array(0)), field(c.signer),
  );
}

/** Strict inverse of encodeCert: anything that would not re-encode to the same bytes is refused. */
export function decodeCert(body: Uint8Array): Certificate {
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > body.length) throw new KeyChainError('truncated certificate');
    const out = body.slice(at, at + n);
    at += n;
    return out;
  };
  const next = (): Uint8Array => take(take(1)[0] as number);
  const text = (b: Uint8Array): string => {
    try {
      return fromUtf8(b);
    } catch {
      throw new KeyChainError('certificate text not UTF-8');
    }
  };
  if (text(take(4)) !== CERT_MAGIC) throw new KeyChainError('not a certificate');
  const kind = text(next()) as CertKind;
  const team = text(next());
  const subject = text(next());
  const key = next();
  const flag = take(1)[0];
  const issued = text(next());
  const replaces = next();
  const signer = next();
  if (at !== body.length) throw new KeyChainError('trailing bytes');
  if (flag !== 0 && flag !== 1) throw new KeyChainError('bad flag');
  const cert: Certificate = { kind, team, subject, key, seesIdentity: flag === 1, issued, replaces: replaces.length === 0 ? null : replaces, signer };
  try {
    if (!equalBytes(encodeCert(cert), body)) throw new Error('not canonical');
  } catch {
    throw new KeyChainError('malformed certificate');
  }
  return cert;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** What an Ed25519 signature covers: the label, a zero byte, then the bytes (domain separation). */
export const signed = (label: string, bytes: Uint8Array): Uint8Array => concat(utf8(label), Uint8Array.of(0), bytes);

export interface SigningKeyPair {
  publicKey: Uint8Array;
  /** libsodium's 64-byte Ed25519 secret key (seed ‖ public key). */
  secretKey: Uint8Array;
}

export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  const kp = sodium().crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

export function newSigningKeyPair(): SigningKeyPair {
  const kp = sodium().crypto_sign_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/**
 * A lead's signing key is derived from their X25519 secret key, so it is sealed under the
 * passphrase exactly as that key is, and a reset (a new X25519 key) makes a new one, which
 * the organisation must certify again.
 */
export function leadSigningKeyPair(x25519Secret: Uint8Array): SigningKeyPair {
  return signingKeyPairFromSeed(sodium().crypto_generichash(32, x25519Secret, utf8(LABEL_LEAD_SEED)));
}

/** Signs a certificate with the signer's key (whose public half must be `cert.signer`). */
export function signCert(cert: Certificate, signer: SigningKeyPair): CertWire {
  if (!equalBytes(cert.signer, signer.publicKey)) throw new RangeError('certificate names another signer');
  const body = encodeCert(cert);
  return { body: toB64u(body), sig: toB64u(sodium().crypto_sign_detached(signed(LABEL_CERT_SIGNATURE, body), signer.secretKey)) };
}

/** Decodes a wire certificate and checks its signature against the key it names as signer. */
export function openCert(w: CertWire): Certificate {
  let body: Uint8Array;
  let sig: Uint8Array;
  try {
    body = fromB64u(w.body);
    sig = fromB64u(w.sig);
  } catch {
    throw new KeyChainError('bad base64url');
  }
  if (sig.length !== 64 || body.length > 512) throw new KeyChainError('bad size');
  const cert = decodeCert(body);
  let ok = false;
  try {
    ok = sodium().crypto_sign_verify_detached(sig, signed(LABEL_CERT_SIGNATURE, body), cert.signer);
  } catch {
    ok = false;
  }
  if (!ok) throw new KeyChainError('bad signature');
  return cert;
}

/** The id under which a certificate is replaced and logged: H("rc2 certificate id", body). */
export function certHash(w: CertWire): B64u {
  return toB64u(sodium().crypto_generichash(32, fromB64u(w.body), utf8(LABEL_CERT_HASH)));
}

const idOf = (label: string, prefix: string, key: Uint8Array): string =>
  prefix + toB64u(sodium().crypto_generichash(32, key, utf8(label)).slice(0, 12));

/** The opaque recipient id of an X25519 key: "k" + 16 base64url characters, nothing about who holds it. */
export const recipientIdOf = (publicKey: Uint8Array): string => idOf(LABEL_RECIPIENT_ID, 'k', publicKey);
/** The opaque id of a lead's signing key. */
export const signerIdOf = (signingKey: Uint8Array): string => idOf(LABEL_SIGNER_ID, 's', signingKey);

/** 80 bits of H("rc2 key fingerprint", key) in Crockford base32, four groups of four, for reading aloud. */
export function fingerprint(key: Uint8Array): string {
  const h = sodium().crypto_generichash(32, key, utf8(LABEL_FINGERPRINT)).slice(0, 10);
  let bits = 0n;
  for (const b of h) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return (out.match(/.{4}/g) as string[]).join(' ');
}

export interface ChainedRecipient {
  id: string;
  publicKey: string;
  kind: 'staff' | 'recovery';
  seesIdentity: boolean;
  chain: CertWire[];
}

/**
 * Checks one recipient against the pinned organisation key, for the routed team:
 * - recovery: one certificate, kind recovery, signed by the organisation, naming this id and key;
 * - staff: a member certificate for this team, id, key and seesIdentity, signed by a lead
 *   key that the second certificate (kind lead, same team) shows the organisation certified.
 * Throws KeyChainError naming the first link that fails.
 */
export function verifyRecipient(r: ChainedRecipient, team: string, orgKey: Uint8Array): void {
  if (!Array.isArray(r.chain) || r.chain.length === 0 || r.chain.length > MAX_CHAIN) throw new KeyChainError('chain length');
  const leaf = openCert(r.chain[0] as CertWire);
  let key: Uint8Array;
  try {
    key = fromB64u(r.publicKey);
  } catch {
    throw new KeyChainError('bad public key');
  }
  if (leaf.subject !== r.id || !equalBytes(leaf.key, key)) throw new KeyChainError('certificate names another key');
  if (leaf.seesIdentity !== r.seesIdentity) throw new KeyChainError('identity permission differs');
  if (r.kind === 'recovery') {
    if (leaf.kind !== 'recovery' || r.chain.length !== 1 || !leaf.seesIdentity) throw new KeyChainError('not a recovery certificate');
    if (!equalBytes(leaf.signer, orgKey)) throw new KeyChainError('recovery key not certified by the organisation');
    return;
  }
  if (leaf.kind !== 'member' || leaf.team !== team) throw new KeyChainError('not a member of this team');
  if (r.chain.length !== 2) throw new KeyChainError('missing lead certificate');
  const lead = openCert(r.chain[1] as CertWire);
  if (lead.kind !== 'lead' || lead.team !== team) throw new KeyChainError('signer is not a lead of this team');
  if (!equalBytes(lead.key, leaf.signer)) throw new KeyChainError('signed by someone who is not a lead');
  if (!equalBytes(lead.signer, orgKey)) throw new KeyChainError('lead not certified by the organisation');
}

/** Verifies every recipient (all must pass) and that ids are unique. */
export function verifyRecipients(rs: ChainedRecipient[], team: string, orgKey: Uint8Array): void {
  const seen = new Set<string>();
  for (const r of rs) {
    if (seen.has(r.id)) throw new KeyChainError('duplicate recipient');
    seen.add(r.id);
    verifyRecipient(r, team, orgKey);
  }
}
