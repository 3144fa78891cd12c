// Kept apart from portal.ts because it imports vitest, and portal.ts also
// serves the client benchmark, which runs outside vitest.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axe, describeViolations } from './portal.ts';

/** Fails the test with every axe violation listed, so the message says what to fix. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await axe(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}
