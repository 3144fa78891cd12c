// Account administration in Chromium: the administrator searches for an
// officer, edits their name and teams (a name with a right-to-left override is
// refused with an error summary and an inline error), deactivates the account
// through the GOV.UK confirmation step, the officer cannot sign in, and the
// administrator reactivates it. axe runs on every admin page and error state at
// desktop width and at 320 CSS px.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { demoPassphrase, demoTotpSecret } from '../seeds/demo.ts';
import { needChromium, launch } from './support/browser.ts';
import { accessibleAtBothWidths, ADMIN_DESKTOP as DESKTOP } from './support/accessible.ts';
import { waitForHeading } from './support/portal.ts';

const OFFICER = 'nw-bcu-psu-2';

/** A code `step` periods from now: a code is accepted once, so a second sign-in takes the next one. */
const codeFor = (username: string, step = 0): string =>
  new TOTP({ secret: Secret.fromBase32(demoTotpSecret(username)), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + step * 30_000 });


describe.runIf(needChromium())('account administration in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-admin-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite') });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(page: Page, username: string, step = 0): Promise<void> {
    await page.goto(`${server.url}/triage/sign-in`);
    await page.locator('#username').fill(username);
    await page.locator('#passphrase').fill(demoPassphrase(username));
    await page.locator('#code').fill(codeFor(username, step));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }


  it('searches, edits, deactivates and reactivates an account', async () => {
    const admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signIn(admin, 'admin-demo');
    await waitForHeading(admin, 'Staff accounts');
    await accessibleAtBothWidths(admin);

    // Search by username, narrowed to triage officers: one result, its name a link to the account page.
    await admin.locator('#search-q').fill(OFFICER);
    await admin.locator('#filter-role').selectOption('triage');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('status').filter({ hasText: '1 account found' }).waitFor();
    expect(new URL(admin.url()).search).toBe(`?q=${OFFICER}&role=triage`);
    const cards = admin.locator('.govuk-summary-card');
    expect(await cards.count()).toBe(1);
    await accessibleAtBothWidths(admin);
    const name = (await cards.locator('h2 a').textContent())?.trim() ?? '';
    expect(name).toMatch(/^Demo officer 2/);
    await cards.locator('h2 a').click();
    await waitForHeading(admin, name);
    await accessibleAtBothWidths(admin);

    // Edit: a right-to-left override in the name is refused before anything is sent.
    await admin.getByRole('link', { name: 'Edit account details' }).click();
    await waitForHeading(admin, 'Edit account');
    await admin.locator('#display-name').fill('Pat \u202Eelpmaxe');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await waitForHeading(admin, 'Edit account');
    await admin.waitForFunction(() => document.title.startsWith('Error: '));
    const summary = admin.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('link').textContent()).toMatch(/hidden characters/);
    expect(await admin.locator('#display-name-error').textContent()).toMatch(/hidden characters/);
    expect(await admin.locator('#display-name').getAttribute('aria-describedby')).toContain('display-name-error');
    await accessibleAtBothWidths(admin);

    await admin.locator('#display-name').fill('Pat Example');
    await admin.locator('#teams-dps-central').check();
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await waitForHeading(admin, 'Pat Example');
    await admin.locator('.govuk-notification-banner').filter({ hasText: 'Pat Example’s account has been changed' }).waitFor();
    await accessibleAtBothWidths(admin);
    const saved = await (await admin.request.get(`${server.url}/api/v1/staff/admin/accounts/${OFFICER}`)).json();
    expect(saved).toMatchObject({ displayName: 'Pat Example', teams: [{ id: 'dps-central' }, { id: 'nw-bcu-psu' }] });

    // Deactivate, through the confirmation page.
    await admin.getByRole('button', { name: 'Deactivate account' }).click();
    await waitForHeading(admin, 'Are you sure you want to deactivate Pat Example’s account?', 'Deactivate account');
    await accessibleAtBothWidths(admin);
    await admin.getByRole('button', { name: 'Yes, deactivate this account' }).click();
    await waitForHeading(admin, 'Pat Example');
    await admin.locator('.govuk-notification-banner').filter({ hasText: 'has been deactivated' }).waitFor();
    expect(await admin.locator('.govuk-tag').filter({ hasText: 'Deactivated' }).count()).toBe(1);
    await accessibleAtBothWidths(admin);

    // The officer, with the right passphrase and code, is told the account is deactivated, and stays signed out.
    const officer = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    const refused = officer.waitForResponse((r) => r.url().endsWith('/auth/login'));
    await signIn(officer, OFFICER);
    expect((await refused).status()).toBe(403);
    await officer.locator('.govuk-error-summary').filter({ hasText: 'Your account has been deactivated' }).waitFor();
    expect((await officer.request.get(`${server.url}/api/v1/staff/auth/session`)).status()).toBe(401);

    // Reactivated: the officer signs in (with the next code: the last one was spent) and has their cases.
    await admin.getByRole('button', { name: 'Reactivate account' }).click();
    await admin.locator('.govuk-notification-banner').filter({ hasText: 'has been reactivated' }).waitFor();
    expect(await admin.locator('.govuk-tag').filter({ hasText: 'Active' }).count()).toBe(1);
    await signIn(officer, OFFICER, 1);
    await waitForHeading(officer, 'Cases');
  }, 180_000);

  it('shows the create form’s errors accessibly, and the confirmation for a reset', async () => {
    const admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signIn(admin, 'admin-demo', 1);
    await waitForHeading(admin, 'Staff accounts');
    await admin.getByRole('link', { name: 'Create an account' }).click();
    await waitForHeading(admin, 'Create an account');
    await admin.locator('#new-username').fill('new-person');
    await admin.locator('#display-name').fill('\u2067Sam\u2069');
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.waitForFunction(() => document.title.startsWith('Error: Create an account'));
    expect(await admin.locator('.govuk-error-summary a').allTextContents()).toEqual([
      expect.stringMatching(/hidden characters/), 'Select a role',
    ]);
    await accessibleAtBothWidths(admin);

    // Back to the list, to an account, and to the reset confirmation (not confirmed).
    await admin.locator('.govuk-back-link').click();
    await waitForHeading(admin, 'Staff accounts');
    await admin.locator('#search-q').fill('nw-bcu-psu-1');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('status').filter({ hasText: '1 account found' }).waitFor();
    await admin.locator('.govuk-summary-card h2 a').click();
    await admin.getByRole('button', { name: 'Reset sign-in and key' }).click();
    await admin.getByRole('button', { name: 'Yes, reset this account' }).waitFor();
    expect(await admin.locator('h1').textContent()).toMatch(/^Are you sure you want to reset Demo officer 1/);
    await accessibleAtBothWidths(admin);
  }, 120_000);
});
