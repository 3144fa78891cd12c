// docs/rc2-vectors.json: the code must reproduce every byte (envelope header,
// additional data, stamps), so a change to the format cannot pass unnoticed.
import { beforeAll, describe, expect, it } from 'vitest';
import rc2 from '../../../docs/rc2-vectors.json' with { type: 'json' };
import {
  deriveReporterKeyPair, envelopeVersion, fromB64u, leadingZeroBits, meetsDifficulty, openDoc, powHash, ready, sealDoc,
  toB64u, type CaseToken, type Rc1Doc, type SchemaName, type SymmetricKey,
} from './index.ts';

beforeAll(ready);

describe('rc2 vectors: versioned envelopes', () => {
  it('derives the reporter key the vectors were sealed for', () => {
    expect(toB64u(deriveReporterKeyPair(fromB64u(rc2.tokenBytes) as CaseToken).publicKey)).toBe(rc2.reporterPk);
  });
  for (const v of rc2.envelopes) {
    it(`${v.kind}: same bytes when sealed again, header byte 2, opens`, () => {
      const key = fromB64u(v.key) as SymmetricKey;
      const ad = fromB64u(v.recordAd);
      const doc = v.plaintext as Rc1Doc;
      expect(sealDoc(key, ad, doc, { nonce: fromB64u(v.nonce) }).ct).toBe(v.ct);
      const ct = fromB64u(v.ct);
      expect(ct[0]).toBe(2);
      expect(envelopeVersion(ct)).toBe(2);
      expect(openDoc(key, ad, v, doc.schema as SchemaName)).toEqual(doc);
    });
  }
});

describe('rc2 vectors: proof-of-work stamps', () => {
  for (const v of rc2.pow) {
    it(`difficulty ${v.difficulty}: hash and verdict (${v.valid ? 'valid' : 'invalid'})`, () => {
      const challenge = fromB64u(v.challenge);
      const nonce = fromB64u(v.nonce);
      const hash = powHash(challenge, nonce);
      expect(toB64u(hash)).toBe(v.hash);
      expect(leadingZeroBits(hash)).toBe(v.leadingZeroBits);
      expect(meetsDifficulty(challenge, nonce, v.difficulty)).toBe(v.valid);
    });
  }
});
