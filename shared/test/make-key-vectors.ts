// Regenerates docs/key-vectors.json: `npx tsx shared/test/make-key-vectors.ts`.
// Fixed seeds make it reproducible; certs.test.ts checks the code still makes exactly
// these bytes, and interop.py --keys checks them with PyNaCl. Covers the key
// certificates (org → lead → member, org → recovery), the ids, fingerprints and the key
// log, plus certificates that must be refused.
import { writeFileSync } from 'node:fs';
import { sodium } from '../src/crypto/sodium.ts';
import {
  certHash, chainLog, fingerprint, fromB64u, LOG_GENESIS, ready, recipientIdOf, signCert, signerIdOf, signingKeyPairFromSeed, signLogHead,
  toB64u, type Certificate, type CertWire,
} from '../src/crypto/index.ts';

await ready();
const bytes = (label: string, n = 32): Uint8Array => sodium().crypto_generichash(n, new TextEncoder().encode(label), null);

const org = signingKeyPairFromSeed(bytes('key vector org seed'));
const lead = signingKeyPairFromSeed(bytes('key vector lead seed'));
const stranger = signingKeyPairFromSeed(bytes('key vector stranger seed'));
const member = sodium().crypto_box_seed_keypair(bytes('key vector member seed')).publicKey;
const recovery = sodium().crypto_box_seed_keypair(bytes('key vector recovery seed')).publicKey;
const team = 'nw-bcu-psu';

const leadCert: Certificate = {
  kind: 'lead', team, subject: signerIdOf(lead.publicKey), key: lead.publicKey, seesIdentity: false, issued: '2025-03-01', replaces: null, signer: org.publicKey,
};
const memberCert: Certificate = {
  kind: 'member', team, subject: recipientIdOf(member), key: member, seesIdentity: true, issued: '2025-03-02',
  replaces: bytes('key vector previous certificate'), signer: lead.publicKey,
};
const recoveryCert: Certificate = {
  kind: 'recovery', team: '', subject: 'recovery-0123456789ab', key: recovery, seesIdentity: true, issued: '2025-03-01', replaces: null, signer: org.publicKey,
};
const show = (c: Certificate, w: CertWire) => ({
  fields: { ...c, key: toB64u(c.key), signer: toB64u(c.signer), replaces: c.replaces ? toB64u(c.replaces) : null },
  ...w, hash: certHash(w),
});
const leadW = signCert(leadCert, org);
const memberW = signCert(memberCert, lead);
const recoveryW = signCert(recoveryCert, org);
// The genuine member body (naming the lead as signer), signed by a key that is not the lead's: the signature fails.
const forged = { body: memberW.body, sig: toB64u(sodium().crypto_sign_detached(new Uint8Array([...new TextEncoder().encode('rc2 key certificate'), 0, ...fromB64u(memberW.body)]), stranger.secretKey)), why: 'signed by a key that is not the lead named in it' };
const flipped = fromB64u(memberW.body);
flipped[flipped.length - 40] = (flipped[flipped.length - 40] as number) ^ 1;

const e1 = { team, seq: 1, action: 'lead' as const, subject: leadCert.subject, cert: fromB64u(certHash(leadW)) };
const h1 = chainLog(LOG_GENESIS, e1);
const e2 = { team, seq: 2, action: 'certify' as const, subject: memberCert.subject, cert: fromB64u(certHash(memberW)) };
const h2 = chainLog(h1, e2);

const vectors = {
  orgSeed: toB64u(bytes('key vector org seed')), orgPublicKey: toB64u(org.publicKey),
  leadSeed: toB64u(bytes('key vector lead seed')), leadPublicKey: toB64u(lead.publicKey),
  team,
  certificates: { lead: show(leadCert, leadW), member: show(memberCert, memberW), recovery: show(recoveryCert, recoveryW) },
  refused: [
    forged,
    { body: toB64u(flipped), sig: memberW.sig, why: 'a changed byte (the key) breaks the signature' },
  ],
  ids: { memberKey: toB64u(member), recipientId: recipientIdOf(member), signerId: signerIdOf(lead.publicKey), fingerprint: fingerprint(member) },
  log: [
    { ...e1, cert: toB64u(e1.cert), hash: toB64u(h1) },
    { ...e2, cert: toB64u(e2.cert), hash: toB64u(h2), headSig: signLogHead(team, 2, h2, lead), headSigner: toB64u(lead.publicKey) },
  ],
};
const out = new URL('../../docs/key-vectors.json', import.meta.url);
writeFileSync(out, JSON.stringify(vectors, null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
