// Which key wraps to send when a person joins a case (PROTOCOL.md "Recipients"):
// caseKey to everyone, identityKey only to those the routing lets see identity,
// internalKey to staff and the recovery key, never to the reporter.
import type { KindedWrap, Member } from '../staff/types.ts';

/** Seals `key` to the base64url public key `publicKey`, returning base64url. */
export type WrapFn = (publicKey: string, key: Uint8Array) => string;

export interface CaseKeys {
  caseKey: Uint8Array;
  identityKey?: Uint8Array | undefined;
  internalKey?: Uint8Array | undefined;
}

/** Wraps for every member holding a public key (staff who have not enrolled have none yet). */
export function planWraps(members: Member[], keys: CaseKeys, wrap: WrapFn): KindedWrap[] {
  const out: KindedWrap[] = [];
  for (const m of members) {
    if (!m.publicKey) continue;
    out.push({ recipient: m.id, kind: 'case', sealed: wrap(m.publicKey, keys.caseKey) });
    if (keys.identityKey && m.seesIdentity) out.push({ recipient: m.id, kind: 'identity', sealed: wrap(m.publicKey, keys.identityKey) });
    if (keys.internalKey) out.push({ recipient: m.id, kind: 'internal', sealed: wrap(m.publicKey, keys.internalKey) });
  }
  return out;
}

/** A brand-new internalKey goes to each staff member with a key and to the recovery key, once each. */
export function planInternalKeyWraps(
  members: Member[],
  recovery: { id: string; publicKey: string }[],
  internalKey: Uint8Array,
  wrap: WrapFn,
): { recipient: string; sealed: string }[] {
  const seen = new Set<string>();
  const out: { recipient: string; sealed: string }[] = [];
  for (const r of [...members.filter((m) => m.publicKey).map((m) => ({ id: m.id, publicKey: m.publicKey })), ...recovery]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push({ recipient: r.id, sealed: wrap(r.publicKey, internalKey) });
  }
  return out;
}
