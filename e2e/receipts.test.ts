// Signed proof of filing in Chromium: a reporter files a report and downloads its
// receipt from the token page; sends a message and gets that message's receipt; checks
// the receipt on the public Check a receipt page, keyboard only (genuine, then with the
// date changed: refused with a clear message); axe finds nothing on the new page and its
// error states, at desktop width and at 320px. Then the routed officer pastes the
// receipt on the triage case page: it matches; an altered one does not.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { launch, needChromium } from './support/browser.ts';
import { expectAccessible } from './support/accessible.ts';
import { byHref, byId, byText, focused, tabTo, waitForHeading, type Focused } from './support/portal.ts';
import { auditLayouts } from './support/reflow.ts';
import { fillSignIn } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const NARRATIVE = 'Inspector Harrowgate changed my duty log after I complained';

describe.runIf(needChromium())('receipts in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let dir: string;
  let receiptText = '';
  let caseRef = '';
  let token = '';
  const invisible: Focused[] = [];

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-receipts-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0 });
    browser = await launch();
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const next = (p: Page) => p.getByRole('button', { name: 'Continue' }).click();
  const main = () => page.locator('main');

  it('files a report and saves its receipt from the token page', async () => {
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Start now' }).click();
    await page.locator('#category-bullying').check();
    await next(page);
    await page.locator('#unit-nw-response-camden').check();
    await next(page);
    await expect.poll(() => page.url()).toContain('/report/own-unit');
    await page.locator('#avoidOwnUnit').check();
    await next(page);
    await page.locator('#narrative').fill(NARRATIVE);
    for (let i = 0; i < 5; i++) await next(page); // narrative, when, where, people, witnesses
    await page.locator('#mode').check();
    await next(page);
    await expect.poll(() => page.url()).toContain('/report/check');
    await page.locator('#send-report').click();
    await page.getByTestId('case-token').waitFor({ timeout: 20_000 });
    caseRef = (await page.getByTestId('case-ref').innerText()).trim();
    token = (await page.getByTestId('case-token').innerText()).trim();

    const section = page.getByTestId('receipt-report');
    const words = await section.innerText();
    expect(words).toContain(`under case reference ${caseRef}`);
    expect(words).toContain('It says nothing about what you wrote');
    expect(words).toContain('Keep your receipt as safe as your case token');

    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: /^Download receipt/ }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^receipt-${caseRef}-report-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const file = join(dir, 'receipt.json');
    await download.saveAs(file);
    receiptText = readFileSync(file, 'utf8');
    const receipt = JSON.parse(receiptText) as Record<string, unknown>;
    expect(receipt).toMatchObject({ format: 'rc2-receipt', v: 1, kind: 'report', caseRef });
    // The text shown is the text saved.
    await section.getByText('Show the receipt text').click();
    expect((await section.getByTestId('receipt-text').innerText()).trim()).toBe(receiptText.trim());
    await expectAccessible(page);
  });

  it('shows the receipt of a message sent from the follow-up page', async () => {
    await page.locator('#saved').check();
    await next(page);
    await page.goto(`${server.url}/case`);
    await page.locator('#token').fill(token);
    await next(page);
    await page.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    await page.locator('#message').fill('One more thing about the duty log');
    await page.getByRole('button', { name: 'Send message' }).click();
    const receipt = page.getByTestId('receipt-message');
    await receipt.waitFor({ timeout: 20_000 });
    expect(await receipt.innerText()).toContain('Your receipt for this message');
    await receipt.getByText('Show the receipt text').click();
    expect(JSON.parse(await receipt.getByTestId('receipt-text').innerText())).toMatchObject({ kind: 'message', caseRef });
    await expectAccessible(page);
  });

  it('checks the receipt on the Check a receipt page with the keyboard alone: genuine', async () => {
    await page.goto(server.url);
    // From the start page, by keyboard: the link is there and in the footer.
    expect(await page.locator('footer').getByRole('link', { name: 'Check a receipt' }).count()).toBe(1);
    await tabTo(page, byHref('/receipt'), { invisible });
    await page.keyboard.press('Enter');
    await waitForHeading(page, 'Check a receipt');
    await tabTo(page, byId('receipt'), { invisible });
    await page.keyboard.insertText(receiptText);
    await tabTo(page, byText('Check receipt'), { invisible });
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-valid').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('receipt-valid').innerText()).toContain('This receipt is genuine');
    expect((await page.getByTestId('receipt-ref').innerText()).trim()).toBe(caseRef);
    // Focus moved to the result, so a screen reader hears it.
    expect((await focused(page))?.id).toBe('receipt-result');
    expect(invisible).toEqual([]);
    expect(await auditLayouts(page, cdp, 'receipts', 'check-valid')).toEqual([]);
  });

  it('refuses the receipt with its date changed, with a clear message, keyboard only', async () => {
    const altered = receiptText.replace(/"receivedOn": "(\d{4})-/, (_m, y: string) => `"receivedOn": "${Number(y) - 1}-`);
    expect(altered).not.toBe(receiptText);
    await page.locator('#receipt').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(altered);
    await tabTo(page, byText('Check receipt'), { invisible });
    await page.keyboard.press('Enter');
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.innerText()).toContain('This receipt is not valid. The signature does not match');
    expect(await page.locator('#receipt-error').innerText()).toContain('not valid');
    expect(await page.title()).toMatch(/^Error: Check a receipt/);
    expect(await page.getByTestId('receipt-valid').count()).toBe(0);
    // The summary takes focus and its link goes to the field.
    expect((await focused(page))?.tag).toBe('div');
    expect(invisible).toEqual([]);
    expect(await auditLayouts(page, cdp, 'receipts', 'check-altered')).toEqual([]);
  });

  it('says what is missing when nothing was given, and accepts the receipt file', async () => {
    await page.goto(`${server.url}/receipt`);
    await waitForHeading(page, 'Check a receipt');
    await page.getByRole('button', { name: 'Check receipt' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Paste your receipt, or choose the receipt file you saved');
    expect(await auditLayouts(page, cdp, 'receipts', 'check-empty')).toEqual([]);
    const file = join(dir, 'upload.json');
    writeFileSync(file, receiptText);
    await page.locator('#receipt-file').setInputFiles(file);
    await expect.poll(() => page.locator('#receipt').inputValue()).toBe(receiptText);
    await page.getByRole('button', { name: 'Check receipt' }).click();
    await page.getByTestId('receipt-valid').waitFor({ timeout: 20_000 });
    // Nothing but the published keys was fetched: the receipt never left the browser.
    expect(await main().innerText()).toContain('Your receipt is not sent anywhere');
  });

  it('lets the routed officer confirm the receipt matches the case, and not an altered one', async () => {
    const staff = await (await browser.newContext()).newPage();
    await staff.goto(`${server.url}/triage/sign-in`);
    await fillSignIn(staff, OFFICER);
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
    await staff.getByRole('link', { name: caseRef }).click();
    await staff.getByText('Do you know any of the people involved?').waitFor({ timeout: 20_000 });
    await staff.locator('#knows-people-no').check();
    await next(staff);
    await expect.poll(() => staff.locator('main').innerText(), { timeout: 20_000 }).toContain(NARRATIVE);
    const result = staff.getByTestId('receipt-check-result');
    await staff.locator('#receipt-check').fill(receiptText);
    await staff.getByRole('button', { name: 'Check receipt' }).click();
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('Match. The receipt is genuine and matches the report received on');
    await expectAccessible(staff);
    await staff.locator('#receipt-check').fill(receiptText.replace(caseRef, 'RC-0000-0000'));
    await staff.getByRole('button', { name: 'Check receipt' }).click();
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('No match. The receipt is not genuine');
    await staff.locator('#receipt-check').fill('not a receipt');
    await staff.getByRole('button', { name: 'Check receipt' }).click();
    await expect.poll(() => staff.locator('.govuk-error-summary').innerText(), { timeout: 20_000 }).toContain('This is not a receipt');
    await expectAccessible(staff);
  });
});
