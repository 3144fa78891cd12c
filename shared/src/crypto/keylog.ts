// The key log (docs/PROTOCOL.md "The key log"): each team's certifications and
// revocations as a hash chain, its heads signed by the certifying lead, and what a
// lead's browser sends to certify a member (the certificate and the signed head).
import { certHash, field, LABEL_LOG_ENTRY, LABEL_LOG_HEAD, recipientIdOf, signCert, signed, type Certificate, type CertWire, type SigningKeyPair } from './certs.ts';
import { concat, fromB64u, toB64u, utf8 } from './encoding.ts';
import { sodium } from './sodium.ts';
import type { B64u } from './types.ts';


export type LogAction = 'certify' | 'revoke' | 'lead' | 'recovery';

export interface LogEntry {
  team: string;
  seq: number;
  action: LogAction;
  subject: string;
  /** The certificate certified or revoked (32 bytes). */
  cert: Uint8Array;
}

const u32 = (n: number): Uint8Array => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('bad sequence number');
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
};

export function encodeLogEntry(e: LogEntry): Uint8Array {
  return concat(utf8('RCL2'), field(utf8(e.team)), u32(e.seq), field(utf8(e.action)), field(utf8(e.subject)), field(e.cert));
}

/** hash_n = H("rc2 key log entry", hash_{n-1} ‖ entry_n); hash_0 is 32 zero bytes. */
export function chainLog(prev: Uint8Array, e: LogEntry): Uint8Array {
  return sodium().crypto_generichash(32, concat(prev, encodeLogEntry(e)), utf8(LABEL_LOG_ENTRY));
}

export const LOG_GENESIS = new Uint8Array(32);

const headBytes = (team: string, seq: number, hash: Uint8Array): Uint8Array => concat(field(utf8(team)), u32(seq), hash);

export function signLogHead(team: string, seq: number, hash: Uint8Array, signer: SigningKeyPair): B64u {
  return toB64u(sodium().crypto_sign_detached(signed(LABEL_LOG_HEAD, headBytes(team, seq, hash)), signer.secretKey));
}

export function verifyLogHead(team: string, seq: number, hash: Uint8Array, sig: Uint8Array, signerKey: Uint8Array): boolean {
  try {
    return sig.length === 64 && sodium().crypto_sign_verify_detached(sig, signed(LABEL_LOG_HEAD, headBytes(team, seq, hash)), signerKey);
  } catch {
    return false;
  }
}

export interface MemberCertification {
  team: string;
  /** The member's X25519 public key, as the lead's browser received it (and compared by fingerprint). */
  memberKey: Uint8Array;
  seesIdentity: boolean;
  issued: string;
  /** base64url certHash of the certificate this replaces, or null. */
  replaces: string | null;
  /** The team's key log head before this certification. */
  head: { seq: number; hash: string };
  lead: SigningKeyPair;
}

/**
 * What a lead's browser sends to certify a member: the certificate (subject = the key's opaque id)
 * and the lead's signature over the key log head that the certification entry makes.
 */
export function certifyMemberKey(m: MemberCertification): { certificate: CertWire; headSig: B64u } {
  const cert: Certificate = {
    kind: 'member', team: m.team, subject: recipientIdOf(m.memberKey), key: m.memberKey, seesIdentity: m.seesIdentity, issued: m.issued,
    replaces: m.replaces === null ? null : fromB64u(m.replaces), signer: m.lead.publicKey,
  };
  const certificate = signCert(cert, m.lead);
  const seq = m.head.seq + 1;
  const hash = chainLog(m.head.seq === 0 ? LOG_GENESIS : fromB64u(m.head.hash), {
    team: m.team, seq, action: 'certify', subject: cert.subject, cert: fromB64u(certHash(certificate)),
  });
  return { certificate, headSig: signLogHead(m.team, seq, hash, m.lead) };
}
