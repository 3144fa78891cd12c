// Policy for the certified key directory (docs/PROTOCOL.md "Key certificates").
// The server cannot make a recipient: every certificate it stores was signed by
// the organisation's offline key or by a lead's browser, and it checks those
// signatures itself too, so a bad one is refused here as well as in browsers.
import type { Kysely, Transaction } from 'kysely';
import {
  certHash, chainLog, fromB64u, KeyChainError, LOG_GENESIS, openCert, recipientIdOf, toB64u, verifyLogHead, type Certificate, type CertWire,
  type LogAction,
} from '../../../shared/src/crypto/index.ts';
import { addDays } from '../../../shared/src/domain/clock.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { ApiError } from '../plugins/errors.ts';
import * as certs from './certificates.ts';
import { enrolledMembers, recoveryKeyId } from './repository.ts';
import { onTeamKeysChanged } from '../notifications/events.ts';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

/** Who is acting: an id and their team memberships (a Principal, or a seed). */
export interface Actor {
  id: string;
  teams: { id: string; lead: boolean }[];
}

function open(w: CertWire): Certificate {
  try {
    return openCert(w);
  } catch (err) {
    if (err instanceof KeyChainError) throw new ApiError('invalid_certificate');
    throw err;
  }
}

interface Entry {
  team: string;
  action: LogAction;
  subject: string;
  staffId: string | null;
  cert: string;
  on: string;
  actor: string | null;
}

/**
 * Appends to a team's key log inside the caller's transaction. `head`, when given, is the
 * signer's signature over the new head: it is checked against the hash computed here, so a
 * lead signs exactly the log they saw plus their entry; a log that moved meanwhile is a 409.
 */
async function appendEntry(tx: Tx, e: Entry, head?: { signer: Uint8Array; sig: string }): Promise<void> {
  const last = await certs.logHead(tx, e.team);
  const seq = Number(last?.seq ?? 0) + 1;
  const hash = chainLog(last ? fromB64u(last.hash) : LOG_GENESIS, { team: e.team, seq, action: e.action, subject: e.subject, cert: fromB64u(e.cert) });
  if (head && !verifyLogHead(e.team, seq, hash, fromB64u(head.sig), head.signer)) throw new ApiError('key_changed');
  await certs.appendLog(tx, {
    team_id: e.team, seq, action: e.action, recipient_id: e.subject, staff_id: e.staffId, cert_hash: e.cert, on: e.on, actor: e.actor,
    hash: toB64u(hash), head_signer: head ? toB64u(head.signer) : null, head_sig: head?.sig ?? null,
  });
}

/** Runs `fn` in a transaction, once more if another writer took the same log position. */
async function withLog<T>(db: Db, fn: (tx: Tx) => Promise<T>, retry = true): Promise<T> {
  try {
    return await db.transaction().execute(fn);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    if (!retry) throw new ApiError('key_changed');
    return withLog(db, fn, false);
  }
}

/**
 * Installs a certificate made by the organisation's offline key (`npm run keys:org`): a lead's
 * signing key for one team (`staffId` says whose: they must lead that team) or the recovery key.
 */
export async function installOrgCertificate(db: Db, w: CertWire, staffId: string | null, actor: string | null, today: string): Promise<string> {
  const orgKey = await certs.getOrgKey(db);
  const c = open(w);
  if (orgKey === null || toB64u(c.signer) !== orgKey) throw new ApiError('invalid_certificate');
  const hash = certHash(w);
  const key = toB64u(c.key);
  if (c.kind === 'recovery') {
    if (c.subject !== recoveryKeyId(key) || !c.seesIdentity || staffId !== null) throw new ApiError('invalid_certificate');
    await withLog(db, async (tx) => {
      await certs.insertCert(tx, row(c, w, hash, null));
      await appendEntry(tx, { team: '', action: 'recovery', subject: c.subject, staffId: null, cert: hash, on: today, actor });
    });
    return hash;
  }
  if (c.kind !== 'lead' || staffId === null) throw new ApiError('invalid_certificate');
  const lead = (await enrolledMembers(db, c.team)).find((m) => m.id === staffId && m.lead === 1);
  if (!lead) throw new ApiError('invalid_certificate');
  await withLog(db, async (tx) => {
    for (const old of await certs.unrevokedCertsOf(tx, staffId)) if (old.kind === 'lead' && old.team_id === c.team) await certs.revokeCert(tx, old.hash, today);
    await certs.insertCert(tx, row(c, w, hash, staffId));
    await appendEntry(tx, { team: c.team, action: 'lead', subject: c.subject, staffId, cert: hash, on: today, actor });
  });
  return hash;
}

const row = (c: Certificate, w: CertWire, hash: string, staffId: string | null) => ({
  hash, kind: c.kind, team_id: c.team, recipient_id: c.subject, staff_id: staffId, public_key: toB64u(c.key), sees_identity: c.seesIdentity ? 1 : 0,
  signer: toB64u(c.signer), body: w.body, sig: w.sig, issued_on: c.issued, replaces: c.replaces ? toB64u(c.replaces) : null,
});

export interface CertifyRequest {
  staffId: string;
  certificate: CertWire;
  /** The lead's signature over the team's key log head after this certification. */
  headSig: string;
}

/**
 * A lead certifies a member's current key (in their own browser, after comparing fingerprints).
 * Checked: the certifier leads the team and their signing key has an organisation certificate for
 * it; the certificate names the member's current key, its opaque id, their identity permission, a
 * recent date and the certificate it replaces; the signed log head follows on from the stored log.
 */
export async function certifyMember(db: Db, actor: Actor, req: CertifyRequest, today: string, now: number): Promise<string> {
  const c = open(req.certificate);
  if (c.kind !== 'member') throw new ApiError('invalid_certificate');
  if (!actor.teams.some((t) => t.id === c.team && t.lead)) throw new ApiError('forbidden');
  const orgKey = await certs.getOrgKey(db);
  const signer = toB64u(c.signer);
  const leadCert = (await certs.teamCerts(db, c.team)).find((x) => x.kind === 'lead' && x.staff_id === actor.id && x.public_key === signer);
  if (orgKey === null || !leadCert || leadCert.signer !== orgKey) throw new ApiError('lead_not_certified');
  const member = (await enrolledMembers(db, c.team)).find((m) => m.id === req.staffId);
  if (!member?.public_key) throw new ApiError('not_found');
  const key = toB64u(c.key);
  if (key !== member.public_key || c.subject !== recipientIdOf(c.key) || c.seesIdentity !== (member.sees_identity === 1)) throw new ApiError('key_changed');
  // The browser's date, within a day of ours (either side of midnight in another zone).
  if (c.issued < addDays(today, -1) || c.issued > addDays(today, 1)) throw new ApiError('invalid_certificate');
  const hash = certHash(req.certificate);
  return withLog(db, async (tx) => {
    const previous = await certs.latestCert(tx, c.team, req.staffId, 'member');
    if ((c.replaces ? toB64u(c.replaces) : null) !== (previous?.hash ?? null)) throw new ApiError('key_changed');
    if (previous && previous.revoked_on === null) await certs.revokeCert(tx, previous.hash, today);
    await certs.insertCert(tx, row(c, req.certificate, hash, req.staffId));
    await appendEntry(tx, { team: c.team, action: 'certify', subject: c.subject, staffId: req.staffId, cert: hash, on: today, actor: actor.id },
      { signer: c.signer, sig: req.headSig });
    await onTeamKeysChanged(tx, c.team, actor.id, now);
    return hash;
  });
}

/**
 * A reset (or anything else that takes a key away) revokes every certificate the account holds,
 * each with its entry in that team's key log, inside the caller's transaction. The lead's next
 * certification signs a head that covers these entries.
 */
export async function revokeAllOf(tx: Tx, staffId: string, today: string, actor: string | null, now: number): Promise<number> {
  const held = await certs.unrevokedCertsOf(tx, staffId);
  for (const c of held) {
    await certs.revokeCert(tx, c.hash, today);
    await appendEntry(tx, { team: c.team_id, action: 'revoke', subject: c.recipient_id, staffId, cert: c.hash, on: today, actor });
  }
  for (const team of new Set(held.map((c) => c.team_id))) await onTeamKeysChanged(tx, team, actor, now);
  await certs.clearLeadSigningKey(tx, staffId);
  return held.length;
}

/** A lead's browser tells the server its (derived) signing public key, so the organisation's ceremony can certify it. */
export async function registerSigningKey(db: Db, actor: Actor, publicKey: string): Promise<void> {
  if (!actor.teams.some((t) => t.lead)) throw new ApiError('forbidden');
  await certs.setLeadSigningKey(db, actor.id, publicKey);
}
