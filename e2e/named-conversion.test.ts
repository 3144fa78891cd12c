// Advice and a private record turned into a NAMED report in Chromium: the "Do you want to tell us
// who you are?" question of the reporter journey, answered with the keyboard alone (its error
// state when named is chosen with no name), then the routed officer sees the name, role and
// contact on the case page exactly as for a named report, with the thread (advice) or the entries
// and their verified receipts (record) as before; the database holds none of the name. axe and
// reflow (desktop, 200% zoom, 320 px) on the changed forms and their error states.
// (The anonymous conversions stay in e2e/advice-welfare.test.ts and e2e/record.test.ts.)
import { existsSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, needChromium } from './support/browser.ts';
import { dumpDatabase } from './support/dump.ts';
import { byId, byText, startPortal, tabTo, waitForHeading, type Portal } from './support/portal.ts';
import { auditLayouts } from './support/reflow.ts';
import { goInApp, signInToInbox } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const ADVICE = {
  question: 'Can I report Inspector Threlkeld for the shift swaps without everyone knowing?',
  answer: 'Yes. If you give your name only our team will see it.',
  narrative: 'Inspector Threlkeld keeps swapping my shifts after I raised the overtime issue.',
  identity: { name: 'Marisol Fenwright', role: 'Response PC 3381', contact: 'fenwright.home@example.invalid' },
};
const RECORD = {
  entry: 'Threlkeld shouted at me in the Ashcombe yard again',
  note: 'My record of the Ashcombe yard incidents, with my name.',
  identity: { name: 'Ottoline Crassby', role: 'Custody sergeant 7731', contact: '07700 900417' },
};

describe.runIf(needChromium())('advice and a record turned into a named report', () => {
  let portal: Portal;
  let browser: Browser;
  let staff: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build:client` first');
    portal = await startPortal('named-conversion');
    browser = await launch();
    staff = await (await browser.newContext()).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const main = (p: Page) => p.locator('main').innerText();
  const audit = async (page: Page, cdp: CDPSession, name: string) =>
    problems.push(...(await auditLayouts(page, cdp, 'named-conversion', name)).map((p) => `${name}: ${p}`));

  /**
   * From a field just before the question: Tab into the radio group, Space to answer, the arrow to
   * "Yes, I will give my name" (its fields appear); Send with no name shows the error state, which
   * is audited; then the error's link leads to the name, and the rest is typed.
   */
  async function answerNamedByKeyboard(page: Page, cdp: CDPSession, identity: typeof ADVICE.identity, auditName: string): Promise<void> {
    await tabTo(page, byId('mode'));
    await page.keyboard.press('Space');
    expect(await page.locator('#mode').isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#mode-named').isChecked()).toBe(true);
    await page.locator('#name').waitFor({ state: 'visible' });
    await tabTo(page, byText('Send report'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('.govuk-error-summary:focus');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter your name');
    expect(await page.locator('#name-error').innerText()).toContain('Enter your name');
    await audit(page, cdp, auditName);
    await tabTo(page, byText('Enter your name'));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('name');
    await page.keyboard.type(identity.name);
    await tabTo(page, byId('role'));
    await page.keyboard.type(identity.role);
    await tabTo(page, byId('contact'));
    await page.keyboard.type(identity.contact);
    await tabTo(page, byText('Send report'));
    await page.keyboard.press('Enter');
  }

  async function expectNoNameStored(identity: typeof ADVICE.identity): Promise<void> {
    const dump = await dumpDatabase(portal.handle.db as never, portal.dbFile);
    for (const w of Object.values(identity)) expect(dump).not.toContain(w);
  }

  it('turns advice into a named report with the keyboard; the officer sees the name and the thread', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${portal.url}/advice`);
    await waitForHeading(page, 'Ask for advice before you report');
    await page.locator('#team-nw-bcu').check();
    await page.locator('#question').fill(ADVICE.question);
    await page.getByRole('button', { name: 'Send question' }).click();
    await page.getByTestId('case-token').waitFor({ timeout: 30_000 });
    const token = (await page.getByTestId('case-token').innerText()).trim();
    const caseRef = (await page.getByTestId('case-ref').innerText()).trim();

    // The team answers, so there is a thread to keep. (Signed in now, so the inbox lists the question.)
    await signInToInbox(staff, portal.url, OFFICER);
    await staff.getByRole('link', { name: caseRef }).first().click();
    await staff.locator('#knows-people-no').check({ timeout: 20_000 });
    await staff.getByRole('button', { name: 'Continue' }).click();
    await staff.getByTestId('advice-question').waitFor({ timeout: 20_000 });
    await staff.locator('#message').fill(ADVICE.answer);
    await staff.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => staff.locator('.govuk-notification-banner--success').innerText(), { timeout: 20_000 }).toContain('sent');

    await page.goto(`${portal.url}/case`);
    await page.locator('#token').fill(token);
    await page.keyboard.press('Enter');
    await page.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    await tabTo(page, byId('convert'), { max: 120 });
    await page.keyboard.press('Enter');
    await waitForHeading(page, 'Turn your question into a report');
    expect(await main(page)).toContain('Do you want to tell us who you are?');
    await audit(page, cdp, 'advice-form');
    // Nothing answered: the question is asked like every other.
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForSelector('.govuk-error-summary:focus');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select if you want to stay anonymous or give your name');
    await audit(page, cdp, 'advice-empty-error');

    await page.locator('#category-bullying').check();
    await page.locator('#unit-nw-response-camden').check();
    await page.locator('#narrative').fill(ADVICE.narrative);
    await page.locator('#where').focus();
    await answerNamedByKeyboard(page, cdp, ADVICE.identity, 'advice-named-error');
    await expect.poll(() => main(page), { timeout: 30_000 }).toContain('Your question is now a report');
    expect(await main(page)).toContain(ADVICE.answer);

    await goInApp(staff, '/triage');
    await staff.locator('#filter-kind').selectOption('report');
    await staff.getByRole('button', { name: 'Apply filters' }).click();
    await staff.getByRole('link', { name: caseRef }).first().click();
    await staff.getByTestId('began-as-advice').waitFor({ timeout: 20_000 });
    await expect.poll(() => main(staff), { timeout: 20_000 }).toContain('Who reported it');
    const text = await main(staff);
    for (const w of [...Object.values(ADVICE.identity), ADVICE.narrative, ADVICE.question, ADVICE.answer]) expect(text).toContain(w);
    await expectNoNameStored(ADVICE.identity);
    await context.close();
  }, 180_000);

  it('turns a private record into a named report with the keyboard; the officer sees the name and the entry', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${portal.url}/record/new`);
    await page.getByRole('button', { name: 'Create my record' }).click();
    await waitForHeading(page, 'Save your record token');
    await page.locator('#saved').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record');
    await page.getByRole('button', { name: 'Add an entry' }).click();
    await waitForHeading(page, 'Add an entry to your record');
    await page.locator('#what').fill(RECORD.entry);
    await page.getByRole('button', { name: 'Save entry' }).click();
    await waitForHeading(page, 'Your record');
    await expect.poll(() => page.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(1);

    await page.getByRole('link', { name: 'Turn my record into a report' }).click();
    await waitForHeading(page, 'Turn your record into a report');
    expect(await main(page)).toContain('Do you want to tell us who you are?');
    await audit(page, cdp, 'record-form');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForSelector('.govuk-error-summary:focus');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select if you want to stay anonymous or give your name');
    await audit(page, cdp, 'record-empty-error');

    await page.locator('#category-bullying').check();
    await page.locator('#unit-nw-response-camden').check();
    await page.locator('#note').fill(RECORD.note);
    await answerNamedByKeyboard(page, cdp, RECORD.identity, 'record-named-error');
    await waitForHeading(page, 'Report sent');
    const caseRef = (await page.getByTestId('case-ref').innerText()).trim();

    await goInApp(staff, '/triage');
    await staff.locator('#filter-kind').selectOption('report');
    await staff.getByRole('button', { name: 'Apply filters' }).click();
    await staff.getByRole('link', { name: caseRef }).first().click();
    await staff.locator('#knows-people-no').check({ timeout: 20_000 });
    await staff.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => staff.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(1);
    const text = await main(staff);
    expect(text).toContain('Who reported it');
    for (const w of [...Object.values(RECORD.identity), RECORD.note, RECORD.entry]) expect(text).toContain(w);
    // The entry's receipt, issued the day it was kept, still verifies against the bytes the case holds.
    await expect.poll(async () => (await staff.getByTestId('entry-receipt').allInnerTexts()).filter((x) => x.startsWith('Verified')).length, { timeout: 20_000 }).toBe(1);
    await audit(staff, await staff.context().newCDPSession(staff), 'triage-named-record');
    await expectNoNameStored(RECORD.identity);
    await context.close();
  }, 180_000);

  it('has no axe violations or reflow problems on those forms and error states', () => {
    expect(problems).toEqual([]);
  });
});
