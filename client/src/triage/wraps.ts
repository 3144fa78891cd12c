// Which key wraps to send when a person joins a case (docs/PROTOCOL.md "Keys and wraps"):
// caseKey to everyone, identityKey only to those the routing lets see identity,
// internalKey to staff and the recovery key, never to the reporter. Nothing is
// ever wrapped to a member recused from the case.
import type { ChainedRecipient } from '../../../shared/src/crypto/certs.ts';
import type { KindedWrap, Member } from '../staff/types.ts';

/** Seals `key` to the base64url public key `publicKey`, returning base64url. */
export type WrapFn = (publicKey: string, key: Uint8Array) => string;

export interface CaseKeys {
  caseKey: Uint8Array;
  identityKey?: Uint8Array | undefined;
  internalKey?: Uint8Array | undefined;
}

/** A wrap recipient: a staff id or a recovery key id, and its base64url public key. */
export interface KeyHolder {
  id: string;
  publicKey: string;
}

/** Checks one recipient's certificate chain for a team up to the pinned organisation key; throws KeyChainError. */
export type ChainCheck = (r: ChainedRecipient, team: string) => void;

/**
 * Before anything is wrapped to a team's members (assign, refer, a new internal key), every member's
 * chain must reach the pinned organisation key for that team: the server's list alone makes no one a
 * recipient. Throws on the first that does not, so nothing is sent.
 */
export function checkMembers(members: Member[], team: string, check: ChainCheck): Member[] {
  for (const m of members) check({ id: m.recipientId, publicKey: m.publicKey, kind: 'staff', seesIdentity: m.seesIdentity, chain: m.chain }, team);
  return members;
}

const ids = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/**
 * Staff ids that currently hold the case-key wrap (recused members left out), when the
 * server says so; undefined from a server that does not send `holders`.
 */
export function holdersOf(detail: object): string[] | undefined {
  return ids((detail as { holders?: unknown }).holders);
}

/** Staff ids recused from the case ([] when the server does not say). */
export function recusedOf(detail: object): string[] {
  return ids((detail as { recused?: unknown }).recused) ?? [];
}

/** Wraps for every member holding a public key (staff who have not enrolled have none yet), never for the recused. */
export function planWraps(members: Member[], keys: CaseKeys, wrap: WrapFn, recused: Iterable<string> = []): KindedWrap[] {
  const out: KindedWrap[] = [];
  const skip = new Set(recused);
  for (const m of members) {
    if (!m.publicKey || skip.has(m.id)) continue;
    out.push({ recipient: m.id, kind: 'case', sealed: wrap(m.publicKey, keys.caseKey) });
    if (keys.identityKey && m.seesIdentity) out.push({ recipient: m.id, kind: 'identity', sealed: wrap(m.publicKey, keys.identityKey) });
    if (keys.internalKey) out.push({ recipient: m.id, kind: 'internal', sealed: wrap(m.publicKey, keys.internalKey) });
  }
  return out;
}

export interface InternalKeyRecipients {
  /** Staff ids holding the case key, from the case detail; when given, only these staff get a wrap. */
  holders?: string[] | undefined;
  /** Staff ids recused from the case: never a wrap. */
  recused?: Iterable<string>;
  /** The signed-in officer, who always gets a wrap (the server requires it). */
  self?: KeyHolder | undefined;
}

/**
 * A brand-new internalKey goes to the case's staff and to the recovery key, once each.
 * The server accepts only current holders of the case key, so with `holders` the staff
 * are exactly the members (and the caller) among them; without, every keyed member
 * who is not recused (an older server, which a 409 then corrects).
 */
export function planInternalKeyWraps(
  members: Member[],
  recovery: KeyHolder[],
  internalKey: Uint8Array,
  wrap: WrapFn,
  to: InternalKeyRecipients = {},
): { recipient: string; sealed: string }[] {
  const holders = to.holders ? new Set(to.holders) : null;
  const recused = new Set(to.recused ?? []);
  const staff: KeyHolder[] = [...(to.self ? [to.self] : []), ...members.filter((m) => m.publicKey).map((m) => ({ id: m.id, publicKey: m.publicKey }))].filter(
    (s) => !recused.has(s.id) && (!holders || holders.has(s.id)),
  );
  const seen = new Set<string>();
  const out: { recipient: string; sealed: string }[] = [];
  for (const r of [...staff, ...recovery]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push({ recipient: r.id, sealed: wrap(r.publicKey, internalKey) });
  }
  return out;
}
