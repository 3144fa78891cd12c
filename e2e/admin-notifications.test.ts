// The administrator's notification pages in Chromium: the settings page is
// reached from the accounts page, refuses a window that starts and ends at
// the same hour with a GOV.UK error summary and inline error, saves a good
// change (checked through the API); on an account's page an address in the
// wrong format is refused the same way, a good one is saved and then
// removed. axe runs on every state at desktop width and at 320 CSS px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibleAtBothWidths, ADMIN_DESKTOP as DESKTOP } from './support/accessible.ts';
import { launch, needChromium } from './support/browser.ts';
import { signIn } from './support/staff.ts';
import { startPortal, waitForHeading, type Portal } from './support/portal.ts';

const OFFICER = 'nw-bcu-psu-2';

describe.runIf(needChromium())('notification administration in Chromium', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal('admin-notifications');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });



  async function expectError(page: Page, field: string, message: RegExp): Promise<void> {
    await page.waitForFunction(() => document.title.startsWith('Error: '));
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('link').textContent()).toMatch(message);
    expect(await summary.getByRole('link').getAttribute('href')).toBe(`#${field}`);
    expect(await page.locator(`#${field}-error`).textContent()).toMatch(message);
    expect(await page.locator(`#${field}`).getAttribute('aria-describedby')).toContain(`${field}-error`);
  }

  it('changes the organisation’s settings and an account’s address, with accessible errors', async () => {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signIn(page, portal.url, 'admin-demo', 'Staff accounts');
    await page.getByRole('link', { name: 'Email notification settings' }).click();
    await waitForHeading(page, 'Email notification settings');
    expect(await page.locator('#window-start').inputValue()).toBe('7');
    expect(await page.locator('#window-end').inputValue()).toBe('19');
    await accessibleAtBothWidths(page);

    // The same hour at both ends: refused before anything is sent.
    await page.locator('#window-end').selectOption('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectError(page, 'window-end', /must be different from its start/);
    await accessibleAtBothWidths(page);
    const before = await (await page.request.get(`${portal.url}/api/v1/staff/admin/notifications`)).json();
    expect(before).toMatchObject({ windowStart: 7, windowEnd: 19, batchMinutes: 60, offForAll: [] });

    await page.locator('#window-start').selectOption('8');
    await page.locator('#window-end').selectOption('18');
    await page.locator('#batch-minutes').selectOption('120');
    await page.getByLabel('Weekly summary of your team’s cases (leads)').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.govuk-notification-banner').filter({ hasText: 'The notification settings are saved' }).waitFor();
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    await accessibleAtBothWidths(page);
    const after = await (await page.request.get(`${portal.url}/api/v1/staff/admin/notifications`)).json();
    expect(after).toMatchObject({ windowStart: 8, windowEnd: 18, batchMinutes: 120, offForAll: ['weekly_summary'] });

    // An account's address, on its page (reached in the app: a reload would ask to unlock again).
    await page.getByRole('link', { name: 'Back' }).click();
    await waitForHeading(page, 'Staff accounts');
    await page.locator('#search-q').fill(OFFICER);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: '1 account found' }).waitFor();
    await page.locator('.govuk-summary-card h2 a').click();
    await page.locator('#email').waitFor();
    await accessibleAtBothWidths(page);
    await page.locator('#email').fill('Pat <pat@force.example>');
    await page.getByRole('button', { name: 'Save email address' }).click();
    await expectError(page, 'email', /correct format/);
    await accessibleAtBothWidths(page);
    const emailUrl = `${portal.url}/api/v1/staff/admin/accounts/${OFFICER}/email`;
    expect(await (await page.request.get(emailUrl)).json()).toEqual({ email: null });

    await page.locator('#email').fill(' pat.example@force.example ');
    await page.getByRole('button', { name: 'Save email address' }).click();
    await page.locator('.govuk-notification-banner').filter({ hasText: 'The email address has been saved' }).waitFor();
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    expect(await (await page.request.get(emailUrl)).json()).toEqual({ email: 'pat.example@force.example' });
    await accessibleAtBothWidths(page);

    await page.locator('#email').fill('');
    await page.getByRole('button', { name: 'Save email address' }).click();
    await page.locator('.govuk-notification-banner').filter({ hasText: 'The email address has been removed' }).waitFor();
    expect(await (await page.request.get(emailUrl)).json()).toEqual({ email: null });
  }, 180_000);
});
