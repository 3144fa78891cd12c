// Cross-checks rc1 against an independent implementation: PyNaCl, from Debian's
// python3-nacl (installed by .ci/run). PyNaCl recomputes every derivation and
// opens our envelopes; then it seals a report that this implementation opens.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adReport, deriveAccessKey, deriveReporterKeyPair, formatToken, fromB64u, openDoc, parseToken, ready, toB64u,
  unwrapKey, accessHashOf, envelopeVersion, fingerprint, verifyRecipients, type CaseToken, type ChainedRecipient,
} from './index.ts';
import { hasPyNaCl, PYTHON } from '../../test/python.ts';

const script = fileURLToPath(new URL('../../test/interop.py', import.meta.url));
const vectorFiles = ['rc1-vectors.json', 'project-vectors.json'].map((f) =>
  fileURLToPath(new URL(`../../test/${f}`, import.meta.url)),
);
const rc2Vectors = fileURLToPath(new URL('../../../docs/rc2-vectors.json', import.meta.url));
const keysScript = fileURLToPath(new URL('../../test/interop_keys.py', import.meta.url));
const keyVectors = fileURLToPath(new URL('../../../docs/key-vectors.json', import.meta.url));
const available = hasPyNaCl();

beforeAll(ready);

describe.runIf(available)('rc1 and rc2 interop with PyNaCl', () => {
  it('PyNaCl reproduces every vector: token display, derivations, envelopes and key wraps', () => {
    const out = execFileSync(PYTHON, [script, ...vectorFiles], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.startsWith('ok '))).toBe(true);
  });

  it('PyNaCl reproduces the rc2 vectors: envelope header and additional data, stamp hashes and verdicts', () => {
    const out = execFileSync(PYTHON, [script, '--rc2', rc2Vectors], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    // Six envelopes (report, identity, message, note, survey comment, advice question) and five stamps.
    expect(lines).toHaveLength(6 + 5);
    expect(lines.every((l) => l.startsWith('ok rc2 '))).toBe(true);
    expect(lines).toContain('ok rc2 envelope survey');
  });

  it.each([['rc1', []], ['rc2', ['--rc2']]] as const)('opens a %s report sealed by PyNaCl', (version, flags) => {
    const fresh = JSON.parse(execFileSync(PYTHON, [script, '--seal', ...flags], { encoding: 'utf8' })) as {
      tokenBytes: string; token: string; accessKey: string; accessHash: string; reporterPk: string;
      report: unknown; reporterKeyWrap: string; envelope: { nonce: string; ct: string };
    };
    const parsed = parseToken(fresh.token);
    expect(parsed.ok).toBe(true);
    const token = fromB64u(fresh.tokenBytes) as CaseToken;
    expect(formatToken(token)).toBe(fresh.token);
    expect(toB64u(deriveAccessKey(token))).toBe(fresh.accessKey);
    expect(toB64u(accessHashOf(deriveAccessKey(token)))).toBe(fresh.accessHash);
    const reporter = deriveReporterKeyPair(token);
    expect(toB64u(reporter.publicKey)).toBe(fresh.reporterPk);
    expect(envelopeVersion(fromB64u(fresh.envelope.ct))).toBe(version === 'rc2' ? 2 : 1);
    const caseKey = unwrapKey(reporter, fromB64u(fresh.reporterKeyWrap));
    expect(openDoc(caseKey, adReport(reporter.publicKey), fresh.envelope, 'rc1/report')).toEqual(fresh.report);
  });

  it('PyNaCl reproduces the key certificate vectors: bodies, signatures, ids, fingerprint, key log', () => {
    const lines = execFileSync(PYTHON, [keysScript, keyVectors], { encoding: 'utf8' }).trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.every((l) => l.startsWith('ok '))).toBe(true);
  });

  it('verifies a certificate chain made by PyNaCl, and refuses it under another organisation key', () => {
    const made = JSON.parse(execFileSync(PYTHON, [keysScript, '--sign'], { encoding: 'utf8' })) as {
      orgPublicKey: string; team: string; recipients: ChainedRecipient[]; fingerprint: string;
    };
    expect(() => verifyRecipients(made.recipients, made.team, fromB64u(made.orgPublicKey))).not.toThrow();
    expect(fingerprint(fromB64u(made.recipients[0]!.publicKey))).toBe(made.fingerprint);
    expect(() => verifyRecipients(made.recipients, made.team, new Uint8Array(32).fill(1))).toThrow(/organisation/);
    expect(() => verifyRecipients(made.recipients, 'nw-bcu-psu', fromB64u(made.orgPublicKey))).toThrow(/team/);
  });
});
