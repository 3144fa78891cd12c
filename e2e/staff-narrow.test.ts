// Every staff page, and its error states, on a narrow screen: at 320 CSS px
// (a small phone, or 1280 px at 400% zoom) and at 200% zoom nothing scrolls
// sideways (WCAG 1.4.10 Reflow), and axe finds no WCAG 2.2 A/AA violations
// there or at desktop width. The inbox turns into GOV.UK summary cards when
// narrow, carrying everything a table row carries.
// Screenshots at 320 px go to e2e/artifacts/staff-narrow/ (gitignored).
import { rmSync } from 'node:fs';
import type { Browser, CDPSession, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnrolmentSecret } from '../seeds/demo.ts';
import { needChromium, launch } from './support/browser.ts';
import { artifactPath, settle, startPortal, type Portal } from './support/portal.ts';
import { auditLayouts, DESKTOP, NARROW } from './support/reflow.ts';
import { fillSignIn, goInApp, signIn } from './support/staff.ts';

const DIR = 'staff-narrow';
/** The inbox renders a table and cards, one of them hidden: take the link that is shown. */
const CASE_LINK = 'main a[href^="/triage/case/"]:visible';


describe.runIf(needChromium())('staff pages at 320 px, 200% zoom and desktop', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    rmSync(artifactPath(DIR), { recursive: true, force: true });
    portal = await startPortal('staff-narrow');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  async function newPage(): Promise<{ page: Page; cdp: CDPSession }> {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error on ${page.url()}: ${e.message}`));
    return { page, cdp: await context.newCDPSession(page) };
  }

  const clean = async (p: { page: Page; cdp: CDPSession }, name: string) => expect(await auditLayouts(p.page, p.cdp, DIR, name), name).toEqual([]);
  const summaryShown = (page: Page) => page.waitForSelector('main .govuk-error-summary', { timeout: 20_000 });

  it('sign-in, its errors, and enrolment (both steps, with errors)', async () => {
    const p = await newPage();
    const { page } = p;
    await page.goto(`${portal.url}/triage/sign-in`);
    await page.getByRole('heading', { name: 'Sign in to the triage service' }).waitFor();
    await clean(p, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await summaryShown(page);
    await clean(p, 'sign-in-error');

    await page.getByRole('link', { name: 'Set up a new account' }).click();
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    await clean(p, 'enrol');
    await page.getByRole('button', { name: 'Continue' }).click();
    await summaryShown(page);
    await clean(p, 'enrol-error');
    await page.locator('#username').fill('new-officer');
    await page.locator('#enrolment-secret').fill(demoEnrolmentSecret());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Set up your sign-in' }).waitFor({ timeout: 20_000 });
    await page.getByText('I cannot scan the QR code').click(); // the long TOTP key must wrap too
    await clean(p, 'enrol-sign-in');
    await page.getByRole('button', { name: 'Finish setting up' }).click();
    await summaryShown(page);
    await clean(p, 'enrol-sign-in-error');
  });

  let triage: { page: Page; cdp: CDPSession };

  it('inbox: a table on desktop, summary cards when narrow, with the same facts', async () => {
    triage = await newPage();
    const p = triage;
    const { page } = p;
    await signIn(page, portal.url, 'nw-bcu-psu-1', 'Cases');
    await page.locator(CASE_LINK).first().waitFor();
    await clean(p, 'inbox');

    // Every case is a card at 320 px, and the facts of its table row are all in it.
    await page.setViewportSize(NARROW);
    await settle(page);
    const narrow = await page.evaluate(() => {
      const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;
      const rows = [...document.querySelectorAll('main table tbody tr')];
      const cards = [...document.querySelectorAll('main .govuk-summary-card')].filter(shown);
      return {
        tableShown: !!document.querySelector('main table') && shown(document.querySelector('main table')!),
        cards: cards.length,
        facts: rows.map((row, i) => {
          const card = cards[i] as HTMLElement | undefined;
          const cells = [...row.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim()).filter(Boolean);
          const text = card?.innerText ?? '';
          return { missing: cells.filter((c) => !text.includes(c)), link: card?.querySelector('a')?.getAttribute('href') === row.querySelector('a')?.getAttribute('href') };
        }),
      };
    });
    expect(narrow.tableShown).toBe(false);
    expect(narrow.cards).toBeGreaterThan(0);
    expect(narrow.cards).toBe(narrow.facts.length);
    for (const f of narrow.facts) expect(f).toEqual({ missing: [], link: true });

    // On a desktop screen the table is back and the cards are hidden.
    await page.setViewportSize(DESKTOP);
    await settle(page);
    expect(await page.locator('main table').isVisible()).toBe(true);
    expect(await page.locator('main .govuk-summary-card').first().isVisible()).toBe(false);

    // The inbox when the cases could not be loaded.
    const fail = (route: Route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' });
    await page.route('**/api/v1/staff/cases?*', fail);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('The cases could not be loaded').waitFor();
    await clean(p, 'inbox-error');
    await page.unroute('**/api/v1/staff/cases?*', fail);
  });

  it('a case: the conflict question, the case with its forms, their error and success states', async () => {
    const p = triage;
    const { page } = p;
    // A case: the conflict question, its error, the case with its forms, their error and success states.
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator(CASE_LINK).first().click();
    await page.getByRole('heading', { name: 'Before you read this case' }).waitFor({ timeout: 20_000 });
    await clean(p, 'case-conflict');
    await page.getByRole('button', { name: 'Continue' }).click();
    await summaryShown(page);
    await clean(p, 'case-conflict-error');
    await page.locator('#knows-people-no').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Internal notes' }).waitFor({ timeout: 20_000 });
    await page.locator('#status-closed').check(); // reveals the outcome and the explanation
    await clean(p, 'case');
    await page.getByRole('button', { name: 'Save status' }).click();
    await summaryShown(page);
    await clean(p, 'case-error');
    await page.locator('#note').fill(`A reference with no spaces: ${'RC-7Q4M-XK2P/'.repeat(8)}`);
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.waitForSelector('main .govuk-notification-banner--success');
    await clean(p, 'case-note-saved');
  });

  it('no access, and signed out', async () => {
    const p = triage;
    const { page } = p;
    // A page this role may not see.
    await goInApp(page, '/triage/admin');
    await page.getByRole('heading', { name: 'You do not have access to this page' }).waitFor();
    await clean(p, 'no-access');

    // Signed out: the sign-in page with its banner.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You have signed out.').waitFor();
    await clean(p, 'signed-out');
  });

  it('oversight', async () => {
    const p = await newPage();
    await signIn(p.page, portal.url, 'oversight-demo', 'Case numbers');
    await p.page.getByText('By command').first().waitFor();
    await clean(p, 'oversight');
  });

  it('admin: accounts, a create error, the reset question and the new secret', async () => {
    const p = await newPage();
    const { page } = p;
    await signIn(page, portal.url, 'admin-demo', 'Staff accounts');
    await page.locator('.govuk-summary-card').first().waitFor();
    await clean(p, 'admin');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await summaryShown(page);
    await clean(p, 'admin-create-error');
    await page.locator('.govuk-back-link').click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.locator('#search-q').fill('dps-central-2');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: '1 account found' }).waitFor();
    await clean(p, 'admin-search');
    await page.locator('.govuk-summary-card h2 a').click();
    await page.getByRole('button', { name: 'Reset sign-in and key' }).click();
    await page.getByRole('heading', { name: /Are you sure/ }).waitFor();
    await clean(p, 'admin-reset-confirm');
    await page.getByRole('button', { name: 'Yes, reset this account' }).click();
    await page.getByText(/enrolment secret/i).first().waitFor({ timeout: 20_000 });
    await clean(p, 'admin-secret');
  });

  it('email notifications, and unlocking after a reload (with its error)', async () => {
    const p = await newPage();
    const { page } = p;
    await signIn(page, portal.url, 'dps-central-1', 'Cases');
    await page.getByRole('link', { name: 'Email notifications' }).click();
    await page.getByRole('heading', { name: /notifications/i }).first().waitFor({ timeout: 20_000 });
    await clean(p, 'notifications');
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock the triage service' }).waitFor({ timeout: 20_000 });
    await clean(p, 'unlock');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await summaryShown(page);
    await clean(p, 'unlock-error');
  });

  it('the sign-in page with a failed sign-in (wrong details)', async () => {
    const p = await newPage();
    await p.page.goto(`${portal.url}/triage/sign-in`);
    await fillSignIn(p.page, 'nw-bcu-psu-2', 'not the passphrase', '000000');
    await summaryShown(p.page);
    await clean(p, 'sign-in-wrong');
  });
});
