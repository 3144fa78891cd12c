// Cross-checks rc1 against an independent implementation: PyNaCl, from Debian's
// python3-nacl (installed by .ci/run). PyNaCl recomputes every derivation and
// opens our envelopes; then it seals a report that this implementation opens.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adReport, deriveAccessKey, deriveReporterKeyPair, formatToken, fromB64u, openDoc, parseToken, ready, toB64u,
  unwrapKey, accessHashOf, type CaseToken,
} from './index.ts';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('../../test/interop.py', import.meta.url));
const vectorFiles = ['rc1-vectors.json', 'project-vectors.json'].map((f) =>
  fileURLToPath(new URL(`../../test/${f}`, import.meta.url)),
);

function hasPyNaCl(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import nacl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// CI must run this test: .ci/run installs python3-nacl. Locally a missing package skips it.
const available = hasPyNaCl();
if (!available && process.env.CI) throw new Error('python3-nacl is required in CI (apt-get install python3-nacl)');

beforeAll(ready);

describe.runIf(available)('rc1 interop with PyNaCl', () => {
  it('PyNaCl reproduces every vector: token display, derivations, envelopes and key wraps', () => {
    const out = execFileSync(PYTHON, [script, ...vectorFiles], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.startsWith('ok '))).toBe(true);
  });

  it('opens a report sealed by PyNaCl', () => {
    const fresh = JSON.parse(execFileSync(PYTHON, [script, '--seal'], { encoding: 'utf8' })) as {
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
    const caseKey = unwrapKey(reporter, fromB64u(fresh.reporterKeyWrap));
    expect(openDoc(caseKey, adReport(reporter.publicKey), fresh.envelope, 'rc1/report')).toEqual(fresh.report);
  });
});
