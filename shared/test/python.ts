// Finds Debian's python3 with PyNaCl (python3-nacl). CI must have it (.ci/run
// installs it); locally, tests that need it are skipped when it is missing
// (shared/test/ci.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { requireService } from './ci.ts';

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
  return requireService('PyNaCl', ok, `${PYTHON} -c 'import nacl' failed (apt-get install python3-nacl)`);
}
