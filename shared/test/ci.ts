// One rule for services the tests need (PostgreSQL, Redis, Chromium, PyNaCl):
// locally a missing one skips its tests with a warning, so a laptop without
// Redis can still run the rest; under CI it is a failure, because .ci/run
// installs every one of them and a skip there would be a check that never ran.

/** True when running in CI (CI=true, or 1 as some runners set it). */
export function inCi(): boolean {
  const v = process.env.CI?.toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

/**
 * Returns whether `service` is there. Missing under CI: throws, so the file's
 * suite fails to load and the run fails. Missing locally: warns and returns
 * false for the caller's `describe.runIf`.
 */
export function requireService(service: string, available: boolean, hint: string): boolean {
  if (available) return true;
  if (inCi()) throw new Error(`${service} is required in CI and is not available: ${hint}`);
  console.warn(`${service} is not available (${hint}): skipping its tests locally`);
  return false;
}
