// The administrator's retention pages in Chromium: reached from the accounts page; every rule listed
// with "Kept (no period set)" to begin with; a rule changed with the keyboard alone (the Change link, the
// radios, the months field, Enter); a bad number refused with a GOV.UK error summary and inline error, and
// nothing saved; a period that would delete nothing now saved at once; a period that would delete the
// demo's closed case (moved back in time) stops at a warning naming how many, and is saved only once
// confirmed; "Keep" removes a rule. Every change is checked through the API. axe on every state at
// desktop width and at 320 CSS px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../shared/src/domain/clock.ts';
import { accessibleAtBothWidths, ADMIN_DESKTOP as DESKTOP } from './support/accessible.ts';
import { launch, needChromium } from './support/browser.ts';
import { signIn } from './support/staff.ts';
import { byHref, byId, byText, startPortal, tabTo, waitForHeading, type Focused, type Portal } from './support/portal.ts';

const QUESTION = 'How long should closed cases with the outcome ‘Management action’ be kept?';

interface Rule { outcome?: string; item?: string; months: number | null; setBy: string | null }

describe.runIf(needChromium())('retention administration in Chromium', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal('admin-retention');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });



  async function rules(page: Page): Promise<Rule[]> {
    const r = await (await page.request.get(`${portal.url}/api/v1/staff/admin/retention`)).json();
    return [...r.rules, ...r.items];
  }
  const ruleFor = async (page: Page, key: string) => (await rules(page)).find((r) => r.outcome === key || r.item === key);
  const rowValue = (page: Page, name: string) =>
    page.locator('.govuk-summary-list__row').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('.govuk-summary-list__value');

  it('sets, confirms and removes periods, with the keyboard and accessible errors', async () => {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signIn(page, portal.url, 'admin-demo', 'Staff accounts');
    await page.getByRole('link', { name: 'How long content is kept' }).click();
    await waitForHeading(page, 'How long content is kept');
    await page.locator('.govuk-summary-list').first().waitFor();
    expect(await page.locator('.govuk-summary-list__row').count()).toBe(13); // 11 outcomes, advice, records
    expect((await rules(page)).every((r) => r.months === null)).toBe(true);
    expect(await rowValue(page, 'Management action').textContent()).toBe('Kept (no period set)');
    await accessibleAtBothWidths(page);

    // Keyboard only: the Change link, the second radio, the months field, Enter.
    const invisible: Focused[] = [];
    await tabTo(page, byHref('/triage/admin/retention/management_action'), { invisible });
    await page.keyboard.press('Enter');
    await waitForHeading(page, QUESTION);
    // Focus is on the question (the page's h1), once it has loaded, as on every page reached in the app.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 5000 });
    expect(await page.locator('#period').isChecked()).toBe(true); // "Keep", as it stands
    await tabTo(page, byId('period'), { invisible });
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#period-months').isChecked()).toBe(true);
    await tabTo(page, byId('months'), { invisible });
    await page.keyboard.type('1.5');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.title.startsWith('Error: '));
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.getByRole('link').textContent()).toBe('The number of months must be a whole number, like 12');
    expect(await summary.getByRole('link').getAttribute('href')).toBe('#months');
    expect(await page.locator('#months-error').textContent()).toContain('The number of months must be a whole number, like 12');
    expect(await page.locator('#months').getAttribute('aria-describedby')).toContain('months-error');
    await accessibleAtBothWidths(page);
    expect((await ruleFor(page, 'management_action'))?.months).toBeNull();

    // The summary's link takes the keyboard back to the field; 24 months deletes nothing now: saved at once.
    await page.locator('.govuk-error-summary').focus();
    await tabTo(page, byText('The number of months must be a whole number, like 12'), { invisible, max: 3 });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('months');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('24');
    await page.keyboard.press('Enter');
    await waitForHeading(page, 'How long content is kept');
    await page.locator('.govuk-notification-banner').filter({ hasText: 'Management action: deleted after 2 years' }).waitFor();
    await page.locator('.govuk-summary-list').first().waitFor();
    expect(await rowValue(page, 'Management action').innerText()).toMatch(/^Deleted after 2 years\s+Changed on .+ by admin-demo$/);
    expect(await ruleFor(page, 'management_action')).toMatchObject({ months: 24, setBy: 'admin-demo' });
    expect(invisible, `focus not visible on: ${JSON.stringify(invisible)}`).toEqual([]);
    await accessibleAtBothWidths(page);

    // The demo's closed case (management action) now closed three months ago, its messages before that:
    // one month would find it past its period.
    const today = new Date().toISOString().slice(0, 10);
    const db = portal.handle.db;
    const closed = await db.selectFrom('cases').select('id').where('status', '=', 'closed').execute();
    expect(closed).toHaveLength(1);
    await db.updateTable('case_history').set({ on: addMonths(today, -3) }).where('case_id', '=', closed[0]!.id).where('status', '=', 'closed').execute();
    await db.updateTable('messages').set({ on: addDays(addMonths(today, -3), -5) }).where('case_id', '=', closed[0]!.id).execute();

    await page.getByRole('link', { name: 'Change how long to keep: Management action' }).click();
    await waitForHeading(page, QUESTION);
    expect(await page.locator('#months').inputValue()).toBe('24');
    await page.locator('#months').fill('1');
    await page.getByRole('button', { name: 'Save' }).click();
    await waitForHeading(page, 'Delete fewer than 5 closed cases now?');
    // 1 to 4 are told as 'fewer than 5' (the server suppresses small numbers, as oversight's figures do).
    expect(await page.locator('.govuk-warning-text').innerText()).toContain('Fewer than 5 closed cases (Management action) were last active more than 1 month ago. They will be deleted within the hour');
    await accessibleAtBothWidths(page);
    expect((await ruleFor(page, 'management_action'))?.months).toBe(24); // not saved until confirmed

    // "Change the period" goes back to the form, as it was; confirming saves.
    await page.getByRole('link', { name: 'Change the period' }).click();
    await waitForHeading(page, QUESTION);
    expect(await page.locator('#months').inputValue()).toBe('1');
    await page.getByRole('button', { name: 'Save' }).click();
    await waitForHeading(page, 'Delete fewer than 5 closed cases now?');
    await page.getByRole('button', { name: 'Yes, delete after 1 month' }).click();
    await waitForHeading(page, 'How long content is kept');
    await page.locator('.govuk-notification-banner').filter({ hasText: 'Management action: deleted after 1 month' }).waitFor();
    expect((await ruleFor(page, 'management_action'))?.months).toBe(1);

    // Private records: nothing to confirm (none exist); then "Keep" removes the outcome's rule again.
    await page.getByRole('link', { name: 'Change how long to keep: Private records not turned into a report' }).click();
    await waitForHeading(page, 'How long should private records that were not turned into a report be kept?');
    await page.getByLabel('Delete after a number of months').check();
    await page.locator('#months').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => document.title.startsWith('Error: '));
    expect(await page.locator('#months-error').textContent()).toContain('Enter the number of months');
    await page.locator('#months').fill('36');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.govuk-notification-banner').filter({ hasText: 'Private records not turned into a report: deleted after 3 years' }).waitFor();
    expect((await ruleFor(page, 'record'))?.months).toBe(36);

    await page.getByRole('link', { name: 'Change how long to keep: Management action' }).click();
    await waitForHeading(page, QUESTION);
    await page.getByLabel('Keep until a period is set').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.govuk-notification-banner').filter({ hasText: 'Management action: kept until a period is set' }).waitFor();
    expect((await ruleFor(page, 'management_action'))?.months).toBeNull();
    // Removing a rule removes its row; who removed it, and when, is in the audit log.
    expect(await rowValue(page, 'Management action').innerText()).toBe('Kept (no period set)');
  }, 180_000);
});
