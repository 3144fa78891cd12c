// The triage case page is long: its action forms sit far below the top. After
// an action, its outcome must be where the officer is looking and where a
// screen reader is: a GOV.UK success banner (role=alert, tabindex=-1) or a
// GOV.UK error summary, both at the top of the main content, in the viewport
// and holding focus. Each action here is started from the bottom of the page.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessible.ts';
import { needChromium, launch } from './support/browser.ts';
import { startPortal, type Portal } from './support/portal.ts';
import { seenAndFocused, signIn } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const BANNER = 'main .govuk-notification-banner--success';
const SUMMARY = 'main .govuk-error-summary';


describe.runIf(needChromium())('case page: action outcomes are seen and announced', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    portal = await startPortal('case-messages');
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    page.on('pageerror', (e) => console.error(`page error on ${page.url()}: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const toBottom = () => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));

  /** The element is at the top of the main content: before the page's <h1>. */
  const beforeHeading = (selector: string) =>
    page.evaluate((sel) => {
      const el = document.querySelector(sel);
      const h1 = document.querySelector('main h1');
      return !!el && !!h1 && !!(el.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING);
    }, selector);

  async function expectBanner(words: string): Promise<void> {
    await page.waitForFunction(([sel, w]) => document.querySelector(sel)?.textContent?.includes(w), [BANNER, words] as const, { timeout: 20_000 });
    // Focus moves in an effect after the render that shows the banner.
    await expect.poll(() => seenAndFocused(page, BANNER), { timeout: 5_000 }).toMatchObject({ inViewport: true, focused: true });
    expect(await beforeHeading(BANNER)).toBe(true);
    const attrs = await page.locator(BANNER).evaluate((el) => ({ role: el.getAttribute('role'), tabindex: el.getAttribute('tabindex') }));
    expect(attrs).toEqual({ role: 'alert', tabindex: '-1' });
    expect(await page.locator(SUMMARY).count()).toBe(0);
  }

  async function expectErrorSummary(field: string, words: string): Promise<void> {
    await page.waitForFunction(([sel, w]) => document.querySelector(sel)?.textContent?.includes(w), [SUMMARY, words] as const, { timeout: 20_000 });
    await expect.poll(() => seenAndFocused(page, SUMMARY), { timeout: 5_000 }).toMatchObject({ inViewport: true, focused: true });
    expect(await beforeHeading(SUMMARY)).toBe(true);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator(BANNER).count()).toBe(0);
    // The summary links to the field, and the link takes focus there.
    const link = page.locator(`${SUMMARY} a[href="#${field}"]`);
    expect(await link.innerText()).toContain(words);
    await link.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(field);
    expect(await page.locator(`#${field}-error`).innerText()).toContain(words);
  }

  it('opens a case after the conflict question', async () => {
    await signIn(page, portal.url, OFFICER, 'Cases');
    await page.locator('main a[href^="/triage/case/"]:visible').first().click();
    await page.locator('#knows-people-no').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Internal notes' }).waitFor({ timeout: 20_000 });
    // The page is long: the action forms really are below the first screen.
    const height = await page.evaluate(() => document.documentElement.scrollHeight / innerHeight);
    expect(height).toBeGreaterThan(3);
  });

  it('a note saved at the bottom of the page shows a focused success banner at the top', async () => {
    await toBottom();
    await page.locator('#note').fill('Spoke to the duty inspector.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await expectBanner('Your internal note has been saved.');
    await expectAccessible(page);
  });

  it('a second action (assign, last but one form) moves focus to the new banner again', async () => {
    await toBottom();
    await page.locator('#assign-to').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await expectBanner('The case is now assigned to');
  });

  it('a missing answer in the last form shows a focused error summary at the top that links to the field', async () => {
    await toBottom();
    await page.getByRole('button', { name: 'Refer', exact: true }).click();
    await expectErrorSummary('refer-to', 'Select the team to refer the case to');
    await expectAccessible(page);
  });

  it('a failure from the server is summarised at the top too, and a later success replaces it', async () => {
    const fail = (route: Route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' });
    await page.route('**/api/v1/staff/cases/*/notes', fail);
    await toBottom();
    await page.locator('#note').fill('This one will not save.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await expectErrorSummary('note', 'Something went wrong on our side');
    await page.unroute('**/api/v1/staff/cases/*/notes', fail);

    await toBottom();
    await page.getByRole('button', { name: 'Save note' }).click();
    await expectBanner('Your internal note has been saved.');
    // The inline error of the form that failed is gone with it.
    expect(await page.locator('#note-error').count()).toBe(0);
  });

  it('a status change from further down shows its banner at the top', async () => {
    await toBottom();
    await page.locator('#status').check();
    await page.getByRole('button', { name: 'Save status' }).click();
    await expectBanner('The case is now');
  });
});
