import { beforeAll, describe, expect, it } from 'vitest';
import vectors from '../../test/rc1-vectors.json' with { type: 'json' };
import {
  accessHashOf, adReport, deriveAccessKey, deriveReporterKeyPair, formatToken, fromB64u, openDoc, parseToken,
  ready, sealDoc, toB64u, unpad, type CaseToken, type SymmetricKey,
} from './index.ts';

beforeAll(ready);

describe('rc1 test vectors (handbook)', () => {
  for (const [i, v] of vectors.vectors.entries()) {
    it(`vector ${i}: token, derivations and sealed report`, () => {
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
      const env = sealDoc(caseKey, adReport(publicKey), v.report as never, fromB64u(v.envelope.nonce));
      expect(env.ct).toBe(v.envelope.ct);
      expect(fromB64u(env.ct).length - 16).toBe(v.paddedLength);
      expect(openDoc(caseKey, adReport(publicKey), v.envelope, 'rc1/report')).toEqual(v.report);
      expect(unpad(new Uint8Array(v.paddedLength).fill(0).map((_, j) => (j === 0 ? 0x80 : 0))).length).toBe(0);
    });
  }
});
