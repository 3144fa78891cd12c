// docs/key-vectors.json and the chain rules: the code must reproduce every certificate
// byte, and a reporter's browser must refuse every broken link (docs/PROTOCOL.md "Key certificates").
import { beforeAll, describe, expect, it } from 'vitest';
import kv from '../../../docs/key-vectors.json' with { type: 'json' };
import {
  certHash, chainLog, decodeCert, fingerprint, fromB64u, KeyChainError, LOG_GENESIS, openCert, ready, recipientIdOf, signCert, signerIdOf,
  signingKeyPairFromSeed, signLogHead, toB64u, verifyLogHead, verifyRecipient, type Certificate, type ChainedRecipient, type CertWire,
} from './index.ts';

beforeAll(ready);

interface Fields { kind: string; team: string; subject: string; key: string; seesIdentity: boolean; issued: string; replaces: string | null; signer: string }
const fieldsOf = (f: Fields): Certificate => ({
  ...f, kind: f.kind as Certificate['kind'], key: fromB64u(f.key), signer: fromB64u(f.signer), replaces: f.replaces ? fromB64u(f.replaces) : null,
});

describe('key certificate vectors', () => {
  const org = () => signingKeyPairFromSeed(fromB64u(kv.orgSeed));
  const lead = () => signingKeyPairFromSeed(fromB64u(kv.leadSeed));
  it('derives the org and lead keys', () => {
    expect(toB64u(org().publicKey)).toBe(kv.orgPublicKey);
    expect(toB64u(lead().publicKey)).toBe(kv.leadPublicKey);
  });
  for (const [name, v] of Object.entries(kv.certificates)) {
    it(`${name}: same body, signature and hash; decodes back to its fields`, () => {
      const signer = name === 'member' ? lead() : org();
      const w = signCert(fieldsOf(v.fields), signer);
      expect(w).toEqual({ body: v.body, sig: v.sig });
      expect(certHash(w)).toBe(v.hash);
      expect(openCert(w)).toEqual(fieldsOf(v.fields));
    });
  }
  it('refuses the refused vectors', () => {
    for (const r of kv.refused) expect(() => openCert(r)).toThrow(KeyChainError);
  });
  it('ids and fingerprint', () => {
    const key = fromB64u(kv.ids.memberKey);
    expect(recipientIdOf(key)).toBe(kv.ids.recipientId);
    expect(signerIdOf(fromB64u(kv.leadPublicKey))).toBe(kv.ids.signerId);
    expect(fingerprint(key)).toBe(kv.ids.fingerprint);
    expect(kv.ids.fingerprint).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){3}$/);
  });
  it('key log hashes and the signed head', () => {
    let prev: Uint8Array = LOG_GENESIS;
    for (const e of kv.log) {
      const h = chainLog(prev, { team: e.team, seq: e.seq, action: e.action as 'certify', subject: e.subject, cert: fromB64u(e.cert) });
      expect(toB64u(h)).toBe(e.hash);
      prev = h;
    }
    const last = kv.log[1]!;
    expect(signLogHead(kv.team, 2, prev, lead())).toBe(last.headSig);
    expect(verifyLogHead(kv.team, 2, prev, fromB64u(last.headSig!), fromB64u(kv.leadPublicKey))).toBe(true);
    expect(verifyLogHead(kv.team, 3, prev, fromB64u(last.headSig!), fromB64u(kv.leadPublicKey))).toBe(false);
  });
  it('decoding is strict: trailing bytes, a bad flag, a truncated body', () => {
    const body = fromB64u(kv.certificates.member.body);
    expect(() => decodeCert(new Uint8Array([...body, 0]))).toThrow(KeyChainError);
    expect(() => decodeCert(body.slice(0, body.length - 1))).toThrow(KeyChainError);
    const bad = body.slice();
    const flagAt = 4 + 1 + 6 + 1 + 10 + 1 + 17 + 1 + 32;
    expect(bad[flagAt]).toBe(1);
    bad[flagAt] = 2;
    expect(() => decodeCert(bad)).toThrow(KeyChainError);
  });
});

describe('verifyRecipient', () => {
  const orgKey = () => fromB64u(kv.orgPublicKey);
  const c = kv.certificates;
  const staff = (over: Partial<ChainedRecipient> = {}): ChainedRecipient => ({
    id: c.member.fields.subject, publicKey: c.member.fields.key, kind: 'staff', seesIdentity: true,
    chain: [{ body: c.member.body, sig: c.member.sig }, { body: c.lead.body, sig: c.lead.sig }], ...over,
  });
  const refused = (r: ChainedRecipient, team = kv.team, key = orgKey()): string => {
    try {
      verifyRecipient(r, team, key);
    } catch (e) {
      if (e instanceof KeyChainError) return e.reason;
      throw e;
    }
    return 'accepted';
  };
  it('accepts a member chained to the organisation, and the recovery key', () => {
    expect(refused(staff())).toBe('accepted');
    const rec = c.recovery;
    expect(refused({ id: rec.fields.subject, publicKey: rec.fields.key, kind: 'recovery', seesIdentity: true, chain: [{ body: rec.body, sig: rec.sig }] })).toBe('accepted');
  });
  it('refuses a changed key, another id, another team, a missing link, a wrong identity flag', () => {
    expect(refused(staff({ publicKey: toB64u(new Uint8Array(32).fill(7)) }))).toBe('certificate names another key');
    expect(refused(staff({ id: 'someone-else' }))).toBe('certificate names another key');
    expect(refused(staff(), 'dps-central')).toBe('not a member of this team');
    expect(refused(staff({ chain: [{ body: c.member.body, sig: c.member.sig }] }))).toBe('missing lead certificate');
    expect(refused(staff({ chain: [] }))).toBe('chain length');
    expect(refused(staff({ seesIdentity: false }))).toBe('identity permission differs');
  });
  it('refuses a member certificate signed by someone who is not a lead, and a lead the organisation did not certify', () => {
    const stranger = signingKeyPairFromSeed(new Uint8Array(32).fill(9));
    const member = { ...openCert(c.member), signer: stranger.publicKey };
    const forged = signCert(member, stranger);
    expect(refused(staff({ chain: [forged, { body: c.lead.body, sig: c.lead.sig }] }))).toBe('signed by someone who is not a lead');
    // The stranger also makes a lead certificate for themselves: it is not the organisation's.
    const selfLead = signCert({ ...openCert(c.lead), key: stranger.publicKey, signer: stranger.publicKey }, stranger);
    expect(refused(staff({ chain: [forged, selfLead] }))).toBe('lead not certified by the organisation');
    // A different pinned key: nothing passes.
    expect(refused(staff(), kv.team, stranger.publicKey)).toBe('lead not certified by the organisation');
  });
  it('refuses a member certificate dressed as recovery, and a signature over other bytes', () => {
    expect(refused(staff({ kind: 'recovery', chain: [{ body: c.member.body, sig: c.member.sig }] }))).toBe('not a recovery certificate');
    const w: CertWire = { body: c.member.body, sig: c.lead.sig };
    expect(refused(staff({ chain: [w, { body: c.lead.body, sig: c.lead.sig }] }))).toBe('bad signature');
  });
});
