// Kept apart from portal.ts because it imports vitest, and portal.ts also
// serves the client benchmark, which runs outside vitest.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axe, describeViolations, horizontalOverflow, settle } from './portal.ts';

/** Fails the test with every axe violation listed, so the message says what to fix. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await axe(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

/** The desktop window the admin tests use, and the narrowest layout WCAG 1.4.10 asks for. */
export const ADMIN_DESKTOP = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 640 };

/** axe at desktop width and at 320 CSS px, where nothing may need sideways scrolling; leaves the page at `desktop`. */
export async function accessibleAtBothWidths(page: Page, desktop = ADMIN_DESKTOP): Promise<void> {
  await expectAccessible(page);
  await page.setViewportSize(NARROW);
  await settle(page);
  await expectAccessible(page);
  expect(await horizontalOverflow(page), `reflow at 320 px on ${page.url()}`).toBeNull();
  await page.setViewportSize(desktop);
  await settle(page);
}
