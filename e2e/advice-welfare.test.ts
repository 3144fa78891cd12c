// Support around the report (issue #14) in Chromium: a reporter asks for advice (keyboard only),
// the routed PSU officer answers, the reporter reads the answer, asks for a welfare contact, and
// turns the conversation into a report; the case keeps the thread and shows it began as advice.
// The welfare request shows flagged on the case and in the inbox. Support links are plain links
// that never touch our server. axe on every new page and error state, at 320 px and desktop.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessible.ts';
import { launch, needChromium } from './support/browser.ts';
import { byHref, byId, horizontalOverflow, settle, startPortal, tabTo, waitForHeading, type Portal } from './support/portal.ts';
import { DESKTOP, NARROW } from './support/reflow.ts';
import { goInApp, signIn, signInToInbox } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const WORDS = {
  question: 'Is it serious enough that Sergeant Brindlecombe changes the rota to punish people?',
  answer: 'Yes, that could be victimisation. You can report it here and we will assess it.',
  narrative: 'Sergeant Brindlecombe moved me to nights after I complained about the rota.',
};

describe.runIf(needChromium())('advice and welfare in Chromium', () => {
  let portal: Portal;
  let browser: Browser;
  let reporter: Page;
  let staff: Page;
  let token = '';
  let caseRef = '';
  /** Requests the reporter's page made to our server (path only). */
  const reporterRequests: string[] = [];

  beforeAll(async () => {
    portal = await startPortal('advice-welfare');
    browser = await launch();
    reporter = await (await browser.newContext()).newPage();
    reporter.on('request', (r) => {
      if (r.url().startsWith(portal.url)) reporterRequests.push(new URL(r.url()).pathname);
    });
    // No internet here: the support services' (fictional, example.org) sites get a stand-in page.
    await reporter.context().route('https://*.example.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Support</title><h1>Support</h1>' }));
    staff = await (await browser.newContext()).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** axe with no violations at desktop width and at 320 px, then back to desktop. */
  async function accessibleBothWidths(page: Page): Promise<void> {
    for (const size of [DESKTOP, NARROW]) {
      await page.setViewportSize(size);
      await settle(page);
      await expectAccessible(page);
    }
    await page.setViewportSize(DESKTOP);
  }
  const main = (p: Page) => p.locator('main').innerText();
  const banner = () => staff.locator('.govuk-notification-banner--success');

  it('lets a reporter ask for advice with the keyboard alone', async () => {
    await reporter.setViewportSize(DESKTOP);
    await reporter.goto(portal.url);
    await tabTo(reporter, byHref('/advice'));
    await reporter.keyboard.press('Enter');
    await waitForHeading(reporter, 'Ask for advice before you report');
    await accessibleBothWidths(reporter);

    // Nothing chosen, nothing typed: the error state.
    await tabTo(reporter, (f) => f.text === 'Send question');
    await reporter.keyboard.press('Enter');
    await reporter.locator('.govuk-error-summary').waitFor();
    expect(await reporter.locator('.govuk-error-summary').innerText()).toContain('Select who you want to ask');
    await accessibleBothWidths(reporter);

    // The error summary took focus; Tab on into the form: the first radio (North West BCU), then the question.
    await tabTo(reporter, byId('team'));
    await reporter.keyboard.press('Space');
    // Arrow keys move the choice within the radio group, to the reporter's own command.
    for (let i = 0; i < 12 && !(await reporter.locator('#team-nw-bcu').isChecked()); i++) await reporter.keyboard.press('ArrowDown');
    expect(await reporter.locator('#team-nw-bcu').isChecked()).toBe(true);
    await tabTo(reporter, byId('question'));
    await reporter.keyboard.type(WORDS.question);
    await tabTo(reporter, (f) => f.text === 'Send question');
    await reporter.keyboard.press('Enter');
    await reporter.getByTestId('case-token').waitFor({ timeout: 30_000 });
    token = (await reporter.getByTestId('case-token').innerText()).trim();
    caseRef = (await reporter.getByTestId('case-ref').innerText()).trim();
    expect(await main(reporter)).toContain('Question sent');
    await reporter.getByTestId('support-list').getByRole('heading', { name: 'Welfare officers' }).waitFor({ timeout: 10_000 });
    await accessibleBothWidths(reporter);
  }, 180_000);

  it('shows support as plain links that never pass through our server', async () => {
    const links = reporter.getByTestId('support-list').locator('a');
    const all = await links.evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', rel: a.getAttribute('rel') ?? '' })));
    expect(all.length).toBeGreaterThan(5);
    for (const a of all) {
      expect(a.rel.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
      expect(a.href).toMatch(/^(https:\/\/[a-z-]+\.example\.org\/|tel:[0-9+]+$|mailto:[^@]+@example\.org$)/);
    }
    // The reporter's command (North West BCU) has its own welfare officer; another command's is not shown.
    const text = await reporter.getByTestId('support-list').innerText();
    expect(text).toContain('North West BCU welfare officer');
    expect(text).not.toContain('Central South BCU welfare officer');

    const before = reporterRequests.length;
    const [tab] = await Promise.all([
      reporter.context().waitForEvent('page'),
      reporter.getByTestId('support-list').locator('a[href^="https://"]').first().click(),
    ]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/^https:\/\/[a-z-]+\.example\.org\//);
    // No referrer went with it, and the new tab cannot reach back to this page.
    expect(await tab.evaluate(() => document.referrer)).toBe('');
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    await tab.close();
    await settle(reporter);
    // Following a link told our server nothing.
    expect(reporterRequests.slice(before)).toEqual([]);

    await tabTo(reporter, byId('saved'));
    await reporter.keyboard.press('Space');
    await tabTo(reporter, (f) => f.text === 'Continue');
    await reporter.keyboard.press('Enter');
    await waitForHeading(reporter, 'What happens next');
  }, 180_000);

  it('shows triage an Advice item with no status or outcome actions, which the officer answers', async () => {
    await signInToInbox(staff, portal.url, OFFICER);
    const row = staff.locator('[data-testid="cases"] tr', { hasText: caseRef });
    expect(await row.innerText()).toContain('Advice');
    expect(await row.innerText()).toContain('Advice reply due in 7 days');
    await staff.locator('#filter-kind').selectOption('advice');
    await staff.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => (await staff.locator('[data-testid="cases"] tbody tr').allInnerTexts()).every((t) => t.includes('Advice')), { timeout: 10_000 }).toBe(true);
    await accessibleBothWidths(staff);

    await staff.getByRole('link', { name: caseRef }).first().click();
    await staff.getByText('Do you know any of the people involved?').waitFor({ timeout: 20_000 });
    expect(await main(staff)).toContain('this is a request for advice');
    await staff.locator('#knows-people-no').check();
    await staff.getByRole('button', { name: 'Continue' }).click();
    await staff.getByTestId('advice-question').waitFor({ timeout: 20_000 });
    expect(await staff.getByTestId('advice-question').innerText()).toBe(WORDS.question);
    expect(await staff.getByRole('button', { name: 'Save status' }).count()).toBe(0);
    expect(await staff.locator('#assessment-form-title, #status-form-title').count()).toBe(0);
    await accessibleBothWidths(staff);

    await staff.locator('#message').fill(WORDS.answer);
    await staff.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => banner().innerText(), { timeout: 20_000 }).toContain('sent');
  }, 180_000);

  it('lets the reporter read the answer and ask for a welfare contact, with the keyboard', async () => {
    // The administrator has set a period for unconverted advice requests: the reporter is shown the day.
    await portal.handle.db.insertInto('retention_rules').values({ outcome: 'advice', months: 6, set_on: '2026-01-01', set_by: 'admin-demo' }).execute();
    await reporter.goto(`${portal.url}/case`);
    await tabTo(reporter, byId('token'));
    await reporter.keyboard.type(token);
    await reporter.keyboard.press('Enter');
    await reporter.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    const text = await main(reporter);
    expect(text).toContain('Advice request');
    expect(text).toContain(WORDS.question);
    expect(text).toContain(WORDS.answer);
    expect(await reporter.getByTestId('advice-expiry').innerText()).toMatch(/^If nobody writes before \d{1,2} \w+ \d{4}, this request and its messages will be deleted/);
    await accessibleBothWidths(reporter);
    await portal.handle.db.deleteFrom('retention_rules').where('outcome', '=', 'advice').execute();

    await tabTo(reporter, byId('ask-welfare'), { max: 120 });
    await reporter.keyboard.press('Enter');
    await expect.poll(() => main(reporter), { timeout: 20_000 }).toContain('You have asked for a welfare contact');
  }, 180_000);

  it('flags the welfare request in the inbox and on the case; staff record that support was offered', async () => {
    await goInApp(staff, '/triage');
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 20_000 });
    await staff.locator('#filter-welfare').check();
    await staff.getByRole('button', { name: 'Apply filters' }).click();
    const row = staff.locator('[data-testid="cases"] tr', { hasText: caseRef });
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('Welfare contact asked for');
    // Polled like the text above: the inbox can render the row again between two reads (a CI run saw the text, then no flag).
    await expect.poll(() => row.getByTestId('welfare-flag').isVisible(), { timeout: 10_000 }).toBe(true);
    await accessibleBothWidths(staff);

    await staff.getByRole('link', { name: caseRef }).first().click();
    await staff.getByTestId('advice-question').waitFor({ timeout: 20_000 });
    expect(await staff.locator('main').getByTestId('welfare-flag').first().isVisible()).toBe(true);
    expect(await main(staff)).toContain('The reporter asked for a welfare contact');
    await staff.locator('#support-offered').click();
    await expect.poll(() => banner().innerText(), { timeout: 20_000 }).toContain('support was offered');
    expect(await main(staff)).toContain('Support offered to the reporter');
    expect(await staff.locator('main').getByTestId('welfare-flag').count()).toBe(0);
  }, 180_000);

  it('turns the advice into a report, keeping the thread', async () => {
    await reporter.goto(`${portal.url}/case`);
    await reporter.locator('#token').fill(token);
    await reporter.keyboard.press('Enter');
    await reporter.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    expect(await main(reporter)).toContain('The team has offered you support');
    await tabTo(reporter, byId('convert'), { max: 120 });
    await reporter.keyboard.press('Enter');
    await waitForHeading(reporter, 'Turn your question into a report');
    await accessibleBothWidths(reporter);

    await tabTo(reporter, (f) => f.text === 'Send report', { max: 120 });
    await reporter.keyboard.press('Enter');
    await reporter.locator('.govuk-error-summary').waitFor();
    await accessibleBothWidths(reporter);

    await reporter.locator('#category-bullying').check();
    await reporter.locator('#unit-nw-response-camden').check();
    await reporter.locator('#narrative').fill(WORDS.narrative);
    await reporter.locator('#mode').check(); // anonymous (named: e2e/named-conversion.test.ts)
    await reporter.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => main(reporter), { timeout: 30_000 }).toContain('Your question is now a report');
    const text = await main(reporter);
    expect(text).toContain('You turned this question into a report');
    expect(text).toContain(WORDS.answer);
    expect(text).toContain('Received');
    await accessibleBothWidths(reporter);
  }, 180_000);

  it('shows triage the report with its thread, and that it began as advice', async () => {
    await goInApp(staff, '/triage');
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 20_000 });
    // The filters chosen earlier (advice only, welfare asked for) no longer match it: it is a report now.
    await staff.locator('#filter-kind').selectOption('report');
    await staff.locator('#filter-welfare').uncheck();
    await staff.getByRole('button', { name: 'Apply filters' }).click();
    await staff.getByRole('link', { name: caseRef }).first().click();
    await staff.getByTestId('began-as-advice').waitFor({ timeout: 20_000 });
    const text = await main(staff);
    expect(text).toContain(`Case ${caseRef}`);
    expect(text).toContain(WORDS.narrative);
    expect(text).toContain(WORDS.question);
    expect(text).toContain(WORDS.answer);
    expect(text).toContain('Turned from an advice request into a report by the reporter');
    // Now a case: its status can move.
    expect(await staff.getByRole('button', { name: 'Save status' }).count()).toBe(1);
    await accessibleBothWidths(staff);
  }, 180_000);

  it('lets the administrator keep the support list that reporters see', async () => {
    const admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signIn(admin, portal.url, 'admin-demo', 'Staff accounts');
    await admin.getByRole('link', { name: 'Where reporters can get support' }).click();
    await waitForHeading(admin, 'Where reporters can get support');
    await admin.getByText('Force welfare officers (DEMO)').first().waitFor({ timeout: 10_000 });
    await accessibleBothWidths(admin);
    await admin.setViewportSize(NARROW);
    expect(await horizontalOverflow(admin)).toBeNull();
    await admin.setViewportSize(DESKTOP);

    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await admin.locator('.govuk-error-summary').waitFor();
    expect(await admin.locator('.govuk-error-summary').innerText()).toContain('Select what kind of support this is');
    await accessibleBothWidths(admin);

    await admin.locator('#support-command').selectOption('nw-bcu');
    await admin.locator('#support-kind').selectOption('network');
    await admin.locator('#support-name').fill('North West peer supporters (DEMO)');
    await admin.locator('#support-url').fill('https://peers.example.org/');
    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => admin.locator('.govuk-notification-banner--success').innerText(), { timeout: 10_000 }).toContain('was added');

    // The reporter's list now carries it, as a plain link.
    const list = (await (await fetch(`${portal.url}/api/v1/support`)).json()) as { contacts: { name: string; url?: string }[] };
    expect(list.contacts.find((c) => c.name === 'North West peer supporters (DEMO)')?.url).toBe('https://peers.example.org/');
  }, 180_000);
});
