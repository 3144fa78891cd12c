import { beforeAll, describe, expect, it } from 'vitest';
import rc1 from '../../test/rc1-vectors.json' with { type: 'json' };
import project from '../../test/project-vectors.json' with { type: 'json' };
import {
  accessHashOf, adIdentity, adMessage, adReport, deriveAccessKey, deriveReporterKeyPair, formatToken, fromB64u,
  openDoc, parseToken, ready, sealDoc, toB64u, unwrapKey, type CaseToken, type KeyPair, type PublicKey, type SecretKey,
  type SymmetricKey,
} from './index.ts';
import { sodium } from './sodium.ts';

beforeAll(ready);

interface BaseVector {
  tokenBytes: string; token: string; accessKey: string; accessHash: string; reporterPk: string; caseKey: string;
  report: object; envelope: { nonce: string; ct: string };
}

function checkBase(v: BaseVector): PublicKey {
  const token = fromB64u(v.tokenBytes) as CaseToken;
  expect(formatToken(token)).toBe(v.token);
  const parsed = parseToken(v.token);
  expect(parsed.ok && toB64u(parsed.token)).toBe(v.tokenBytes);
  const accessKey = deriveAccessKey(token);
  expect(toB64u(accessKey)).toBe(v.accessKey);
  expect(toB64u(accessHashOf(accessKey))).toBe(v.accessHash);
  const { publicKey } = deriveReporterKeyPair(token);
  expect(toB64u(publicKey)).toBe(v.reporterPk);
  const caseKey = fromB64u(v.caseKey) as SymmetricKey;
  // Sealing again with the vector's nonce must give the same bytes: the format is pinned.
  expect(sealDoc(caseKey, adReport(publicKey), v.report as never, { nonce: fromB64u(v.envelope.nonce), version: 1 }).ct).toBe(v.envelope.ct);
  expect(openDoc(caseKey, adReport(publicKey), v.envelope, 'rc1/report')).toEqual(v.report);
  return publicKey;
}

describe('rc1 test vectors (shared/test/rc1-vectors.json, docs/PROTOCOL.md "Test vectors")', () => {
  for (const [i, v] of rc1.vectors.entries()) {
    it(`vector ${i}`, () => {
      checkBase(v);
      expect(fromB64u(v.envelope.ct).length - 16).toBe(v.paddedLength);
    });
  }
});

describe('rc1 project vectors (identity, message, key wraps)', () => {
  for (const [i, v] of project.vectors.entries()) {
    it(`vector ${i}`, () => {
      const pk = checkBase(v);
      const caseKey = fromB64u(v.caseKey) as SymmetricKey;
      const identityKey = fromB64u(v.identityKey) as SymmetricKey;
      expect(sealDoc(identityKey, adIdentity(pk), v.identity as never, { nonce: fromB64u(v.identityEnvelope.nonce), version: 1 }).ct).toBe(v.identityEnvelope.ct);
      expect(openDoc(identityKey, adIdentity(pk), v.identityEnvelope, 'rc1/identity')).toEqual(v.identity);
      const mid = fromB64u(v.messageId);
      expect(sealDoc(caseKey, adMessage(pk, mid), v.message as never, { nonce: fromB64u(v.messageEnvelope.nonce), version: 1 }).ct).toBe(v.messageEnvelope.ct);
      const kp = sodium().crypto_box_seed_keypair(fromB64u(v.recipientSeed));
      const recipient: KeyPair = { publicKey: kp.publicKey as PublicKey, secretKey: kp.privateKey as SecretKey };
      expect(toB64u(recipient.publicKey)).toBe(v.recipientPk);
      expect(toB64u(unwrapKey(recipient, fromB64u(v.caseKeyWrap)))).toBe(v.caseKey);
      const reporter = deriveReporterKeyPair(fromB64u(v.tokenBytes) as CaseToken);
      expect(toB64u(unwrapKey(reporter, fromB64u(v.reporterKeyWrap)))).toBe(v.caseKey);
    });
  }
});
