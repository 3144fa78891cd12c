// docs/record-vectors.json: the code must reproduce every byte of a private record (token
// display, derived keys, the holder's wrap, sealed entries and subjects, the sealed hash a
// receipt binds), so a change to the construction cannot pass unnoticed.
import { beforeAll, describe, expect, it } from 'vitest';
import v from '../../../docs/record-vectors.json' with { type: 'json' };
import {
  accessHashOf, adRecordEntry, adRecordSubject, deriveAccessKey, deriveRecordAccessKey, deriveRecordWrapKey, deriveReporterKeyPair,
  entrySealedHash, formatRecordToken, fromB64u, openRecordEntry, parseAnyToken, parseToken, ready, sealDoc, toB64u, unwrapRecordKey,
  wrapRecordKey, type CaseToken, type Rc1Doc, type SymmetricKey,
} from './index.ts';

beforeAll(ready);

describe('record vectors', () => {
  const token = () => fromB64u(v.tokenBytes) as CaseToken;
  const recordId = () => fromB64u(v.recordId);
  const recordKey = () => fromB64u(v.recordKey) as SymmetricKey;

  it('shows and reads the token, told apart from a case token', () => {
    expect(formatRecordToken(token())).toBe(v.tokenDisplay);
    const parsed = parseAnyToken(v.tokenDisplay.toLowerCase());
    expect(parsed.ok && parsed.kind === 'record' && toB64u(parsed.token)).toBe(v.tokenBytes);
    const asCase = parseAnyToken(v.tokenDisplay.slice(4));
    expect(asCase.kind).toBe('case');
    // A record token is not a case token to the case parser: 28 characters.
    expect(parseToken(v.tokenDisplay)).toEqual({ ok: false, reason: 'length' });
  });

  it('derives the access key, its hash and the wrapping key; wraps and unwraps the record key', () => {
    expect(toB64u(deriveRecordAccessKey(token()))).toBe(v.recordAccessKey);
    expect(toB64u(accessHashOf(deriveRecordAccessKey(token())))).toBe(v.recordAccessHash);
    expect(toB64u(deriveRecordWrapKey(token()))).toBe(v.recordWrapKey);
    const wrap = deriveRecordWrapKey(token());
    expect(toB64u(wrapRecordKey(wrap, recordId(), recordKey(), fromB64u(v.holderKeyNonce)))).toBe(v.holderKey);
    expect(toB64u(unwrapRecordKey(wrap, recordId(), fromB64u(v.holderKey)))).toBe(v.recordKey);
    // Bound to the record id: the same wrap under another id does not open.
    expect(() => unwrapRecordKey(wrap, new Uint8Array(16), fromB64u(v.holderKey))).toThrow();
  });

  for (const [i, e] of v.entries.entries()) {
    it(`entry ${i}: same bytes sealed again, opens, and the sealed hash`, () => {
      const id = fromB64u(e.id);
      expect(toB64u(adRecordEntry(recordId(), id))).toBe(e.entry.ad);
      expect(toB64u(adRecordSubject(recordId(), id))).toBe(e.subject.ad);
      expect(sealDoc(recordKey(), fromB64u(e.entry.ad), e.entry.plaintext as Rc1Doc, { nonce: fromB64u(e.entry.nonce) }).ct).toBe(e.entry.ct);
      expect(sealDoc(recordKey(), fromB64u(e.subject.ad), e.subject.plaintext as Rc1Doc, { nonce: fromB64u(e.subject.nonce) }).ct).toBe(e.subject.ct);
      const wire = { id: e.id, on: '2026-01-15', entry: e.entry, subject: e.subject, sealedHash: e.sealedHash };
      const opened = openRecordEntry(recordKey(), recordId(), wire);
      expect(opened.entry).toEqual(e.entry.plaintext);
      expect(opened.subject).toEqual(e.subject.plaintext);
      expect(toB64u(entrySealedHash(recordId(), wire))).toBe(e.sealedHash);
      // One changed byte in the stored ciphertext changes the hash (and fails to open).
      const ct = fromB64u(e.entry.ct);
      ct[5] = (ct[5] as number) ^ 1;
      const changed = { ...wire, entry: { ...e.entry, ct: toB64u(ct) } };
      expect(toB64u(entrySealedHash(recordId(), changed))).not.toBe(e.sealedHash);
      expect(openRecordEntry(recordKey(), recordId(), changed).entry).toBeNull();
    });
  }

  it('gives the case access hash and reporter key the same token has as a case token', () => {
    expect(toB64u(accessHashOf(deriveAccessKey(token())))).toBe(v.asCase.caseAccessHash);
    expect(toB64u(deriveReporterKeyPair(token()).publicKey)).toBe(v.asCase.reporterPk);
    expect(v.asCase.caseAccessHash).not.toBe(v.recordAccessHash);
  });
});
