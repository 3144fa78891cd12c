// Finds Debian's python3 with PyNaCl (python3-nacl). CI must have it (.ci/run
// installs it); locally, tests that need it are skipped when it is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

export function hasPyNaCl(): boolean {
  let ok = false;
  if (existsSync(PYTHON)) {
    try {
      execFileSync(PYTHON, ['-c', 'import nacl'], { stdio: 'ignore' });
      ok = true;
    } catch {
      ok = false;
    }
  }
  if (!ok && process.env.CI) throw new Error('python3-nacl is required in CI (apt-get install python3-nacl)');
  return ok;
}
