// The whole loop in Chromium: an anonymous report, the routed PSU officer signs
// in (Argon2id passphrase + TOTP, key unwrapped in the browser), declares no
// conflict, reads it, acknowledges and replies; the reporter reads the reply and
// answers; triage reads the answer and closes with an outcome; the reporter sees
// the explanation. The staff page is never reloaded: its private key lives only
// in memory, so every staff move is an in-app link.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { demoTotpSecret } from '../seeds/demo.ts';
import { launch, needChromium } from './support/browser.ts';
import { expectAccessible } from './support/accessible.ts';

const OFFICER = 'nw-bcu-psu-1';
const WORDS = {
  narrative: 'Inspector Fenwhistle shouted at me in front of the whole team',
  people: 'Inspector Fenwhistle',
  reply: 'Thank you for telling us. Can you say which day this was?',
  answer: 'It was the Tuesday early shift',
  explanation: 'A manager has spoken to the inspector about how they treat staff.',
  afterClose: 'Since then I have been left off the overtime list.',
};

function totpCode(username: string): string {
  const totp = new TOTP({ secret: Secret.fromBase32(demoTotpSecret(username)), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() });
}

describe.runIf(needChromium())('triage loop in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let reporterContext: BrowserContext;
  let reporter: Page;
  let staff: Page;
  let dir: string;
  let token = '';
  let caseRef = '';

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-triage-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0 });
    browser = await launch();
    reporterContext = await browser.newContext();
    reporter = await reporterContext.newPage();
    staff = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });


  const next = (p: Page) => p.getByRole('button', { name: 'Continue' }).click();
  const staffMain = () => staff.locator('main');
  const banner = () => staff.locator('.govuk-notification-banner--success');

  async function openReporterCase(): Promise<string> {
    await reporter.goto(`${server.url}/case`);
    await reporter.locator('#token').fill(token);
    await next(reporter);
    await reporter.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    return reporter.locator('main').innerText();
  }

  async function openStaffCase(): Promise<void> {
    await staff.getByRole('link', { name: caseRef }).click();
    // Before the conflict question is answered the case ref is a caption, afterwards the h1.
    await staff.getByText(`Case ${caseRef}`, { exact: true }).first().waitFor({ timeout: 20_000 });
  }

  it('takes an anonymous report', async () => {
    await reporter.goto(server.url);
    await reporter.getByRole('link', { name: 'Start now' }).click();
    await reporter.locator('#category-bullying').check();
    await next(reporter);
    await reporter.locator('#unit-nw-response-camden').check();
    await next(reporter);
    await expect.poll(() => reporter.url()).toContain('/report/own-unit');
    await reporter.locator('#avoidOwnUnit').check();
    await next(reporter);
    await reporter.locator('#narrative').fill(WORDS.narrative);
    await next(reporter);
    await next(reporter); // when
    await next(reporter); // where
    await reporter.locator('#people').fill(WORDS.people);
    await next(reporter);
    await next(reporter); // witnesses
    await reporter.locator('#mode').check();
    await next(reporter);
    await expect.poll(() => reporter.url()).toContain('/report/check');
    await reporter.locator('#send-report').click();
    await reporter.getByTestId('case-token').waitFor({ timeout: 20_000 });
    token = (await reporter.getByTestId('case-token').innerText()).trim();
    caseRef = (await reporter.getByTestId('case-ref').innerText()).trim();
    expect(caseRef).toMatch(/^RC-/);
  });

  it('signs the routed officer in with passphrase and TOTP', async () => {
    await staff.goto(`${server.url}/triage/sign-in`);
    await staff.locator('#username').fill(OFFICER);
    await staff.locator('#passphrase').fill(`demo-pass-${OFFICER}`);
    await staff.locator('#code').fill(totpCode(OFFICER));
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
    // The session, and the device cookie that keeps this browser's sign-in back-off apart from strangers'.
    expect((await staff.context().cookies()).map((c) => c.name).sort()).toEqual(['rc_device', 'rc_staff']);
    await expectAccessible(staff);
  });

  it('asks about conflicts first, then shows the report', async () => {
    await openStaffCase();
    await staff.getByText('Do you know any of the people involved?').waitFor();
    const before = await staffMain().innerText();
    expect(before).toContain(WORDS.people);
    expect(before).not.toContain(WORDS.narrative);
    await expectAccessible(staff);
    await staff.locator('#knows-people-no').check();
    await next(staff);
    await expect.poll(() => staffMain().innerText(), { timeout: 20_000 }).toContain(WORDS.narrative);
    await expectAccessible(staff);
  });

  it('acknowledges and replies', async () => {
    await staff.locator('#status').check(); // the first next status: acknowledged
    await staff.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(() => banner().innerText(), { timeout: 20_000 }).toContain('acknowledged');
    await staff.locator('#message').fill(WORDS.reply);
    await staff.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => banner().innerText(), { timeout: 20_000 }).toContain('sent');
    expect(await staffMain().innerText()).toContain(WORDS.reply);
  });

  it('lets the reporter read the reply and answer', async () => {
    const text = await openReporterCase();
    expect(text).toContain('Acknowledged');
    expect(text).toContain(WORDS.reply);
    expect(text).toContain('1 new reply');
    await reporter.locator('#message').fill(WORDS.answer);
    await reporter.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => reporter.locator('main').innerText(), { timeout: 10_000 }).toContain(WORDS.answer);
  });

  it('shows triage the answer, then closes the case with an outcome', async () => {
    await staff.locator('a.govuk-back-link').click();
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await openStaffCase();
    await expect.poll(() => staffMain().innerText(), { timeout: 20_000 }).toContain(WORDS.answer);
    await staff.locator('#status-closed').check();
    await staff.locator('#outcome-management_action').check();
    await staff.locator('#explanation').fill(WORDS.explanation);
    await staff.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(() => banner().innerText(), { timeout: 20_000 }).toContain('closed');
    await expectAccessible(staff);
  });

  it('shows the reporter the outcome and the explanation', async () => {
    const text = await openReporterCase();
    expect(text).toContain('Closed');
    expect(text).toContain(WORDS.explanation);
    // After closure the reporter can still report victimisation, linked to this case.
    await reporter.locator('#message').fill(WORDS.afterClose);
    await reporter.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => reporter.locator('main').innerText(), { timeout: 10_000 }).toContain(WORDS.afterClose);
  });
});
