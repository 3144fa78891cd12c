// The audit log's signed head: (seq, hash, day) of the last entry, signed with
// an Ed25519 key that is not in the database (derived from the server secret,
// server-keys.ts). Kept in the database (audit_head, rewritten with every
// append) and exported with `npm run audit:head` for keeping elsewhere. The
// chain alone proves only that rows agree with each other: anyone who can write
// the database can recompute it, or cut its end off. A head signed with a key
// they do not hold pins the end and every hash up to it.
import type { Kysely, Transaction } from 'kysely';
import { signDetached, signingKeyPairFromSeed, verifyDetached } from '../../../shared/src/crypto/at-rest.ts';
import { fromB64u, isB64u, toB64u, utf8 } from '../../../shared/src/crypto/index.ts';
import type { Database } from '../db/database.ts';

export const HEAD_FORMAT = 'rc-audit-head-v1';

export interface HeadBody {
  seq: number;
  hash: string;
  /** YYYY-MM-DD (UTC) of the signing: no finer time is kept. */
  day: string;
}

export interface SignedHead extends HeadBody {
  format: typeof HEAD_FORMAT;
  /** Ed25519 public key, base64url. */
  publicKey: string;
  /** Detached Ed25519 signature over headMessage(), base64url. */
  signature: string;
}

export interface AuditSigner {
  publicKey: string;
  sign(body: HeadBody): SignedHead;
}

/** The exact bytes signed: a fixed layout, so no JSON canonicalisation question arises. */
export const headMessage = (h: HeadBody): Uint8Array => utf8(`${HEAD_FORMAT}\n${h.seq}\n${h.hash}\n${h.day}`);

export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The signer for a 32-byte seed (the caller derives it from the server secret). libsodium must be ready. */
export function auditSigner(seed: Uint8Array): AuditSigner {
  const kp = signingKeyPairFromSeed(seed);
  const publicKey = toB64u(kp.publicKey);
  return {
    publicKey,
    sign: (body) => ({
      format: HEAD_FORMAT, seq: body.seq, hash: body.hash, day: body.day, publicKey,
      signature: toB64u(signDetached(headMessage(body), kp.secretKey)),
    }),
  };
}

export type HeadCheck = 'ok' | 'untrusted_key' | 'bad_signature';

/** A head is believed only when signed by one of the `trusted` public keys (base64url): the key in the file proves nothing by itself. */
export function checkHead(h: SignedHead, trusted: readonly string[]): HeadCheck {
  if (!trusted.includes(h.publicKey)) return 'untrusted_key';
  if (!isB64u(h.signature, 64) || !isB64u(h.publicKey, 32)) return 'bad_signature';
  return verifyDetached(fromB64u(h.signature), headMessage(h), fromB64u(h.publicKey)) ? 'ok' : 'bad_signature';
}

/** Parses an exported head; throws with a reason for anything that is not one. */
export function parseHead(text: string): SignedHead {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('the head file is not JSON');
  }
  const o = v as Record<string, unknown>;
  const ok = typeof v === 'object' && v !== null && o.format === HEAD_FORMAT
    && Number.isSafeInteger(o.seq) && (o.seq as number) >= 1
    && typeof o.hash === 'string' && /^[0-9a-f]{64}$/.test(o.hash)
    && typeof o.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.day)
    && typeof o.publicKey === 'string' && typeof o.signature === 'string';
  if (!ok) throw new Error(`the head file is not a ${HEAD_FORMAT} head`);
  return { format: HEAD_FORMAT, seq: o.seq as number, hash: o.hash as string, day: o.day as string, publicKey: o.publicKey as string, signature: o.signature as string };
}

type Db = Kysely<Database> | Transaction<Database>;

/** The head kept in the database (one row), or undefined before the first append. */
export async function storedHead(db: Db): Promise<SignedHead | undefined> {
  const r = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  return r && { format: HEAD_FORMAT, seq: Number(r.seq), hash: r.hash, day: r.day, publicKey: r.public_key, signature: r.signature };
}

/** Replaces the stored head; call it in the appending transaction, after the entry. */
export async function storeHead(db: Db, h: SignedHead): Promise<void> {
  const values = { seq: h.seq, hash: h.hash, day: h.day, public_key: h.publicKey, signature: h.signature };
  await db.insertInto('audit_head').values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
}
