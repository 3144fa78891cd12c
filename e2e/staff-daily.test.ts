// Daily use of the staff pages in Chromium: a reload within a live session
// asks only for the passphrase; a code used twice says so; a referral says it
// waits for the other team, and the case stays open here until then.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassphrase } from '../seeds/demo.ts';
import { startDemoServer, type DemoStarted } from '../seeds/demo-server.ts';
import { expectAccessible } from './support/accessible.ts';
import { launch, needChromium } from './support/browser.ts';
import { fileReport, fillSignIn, goInApp, signInToInbox, submitSignIn, totpCode } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
// One account per test: a code may be spent once per 30-second step, and each test signs in afresh.
const SECOND = 'nw-bcu-psu-2';
const CENTRAL = 'dps-central-1';
const LEAD = 'nw-bcu-psu-lead';

describe.runIf(needChromium())('staff daily use in Chromium', () => {
  let server: DemoStarted;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-daily-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0 });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fresh = async (): Promise<Page> => {
    await page?.context().close();
    page = await (await browser.newContext()).newPage();
    return page;
  };
  const heading = (p: Page) => p.locator('main h1').innerText();

  it('asks only for the passphrase after a reload, and comes back to the same page', async () => {
    const ref = await fileReport(server.url, 'bullying', 'nw-response-camden', 'Reload test narrative about a sergeant');
    const p = await fresh();
    await signInToInbox(p, server.url, OFFICER);
    await p.getByRole('link', { name: ref }).click();
    await p.getByText('Do you know any of the people involved?').waitFor({ timeout: 20_000 });
    await p.reload();
    await p.getByRole('heading', { name: 'Unlock the triage service' }).waitFor({ timeout: 20_000 });
    expect(p.url()).toContain(`/triage/case/${ref}`);
    // No code field: the session already passed both factors.
    expect(await p.locator('#code').count()).toBe(0);
    expect(await p.locator('main').innerText()).toContain(OFFICER);
    await expectAccessible(p);
    // Empty, then wrong: a GOV.UK error summary each time, and still locked.
    await p.getByRole('button', { name: 'Unlock' }).click();
    await p.locator('.govuk-error-summary').getByText('Enter your passphrase').waitFor();
    await expectAccessible(p);
    await p.locator('#passphrase').fill('not the passphrase');
    await p.getByRole('button', { name: 'Unlock' }).click();
    await p.locator('.govuk-error-summary').getByText('The passphrase is not right').waitFor({ timeout: 20_000 });
    await p.locator('#passphrase').fill(demoPassphrase(OFFICER));
    await p.getByRole('button', { name: 'Unlock' }).click();
    await p.getByText('Do you know any of the people involved?').waitFor({ timeout: 20_000 });
    expect(p.url()).toContain(`/triage/case/${ref}`);
  });

  it('signs out from the unlock page, and then the full sign-in is needed', async () => {
    const p = await fresh();
    await signInToInbox(p, server.url, SECOND);
    await p.reload();
    await p.getByRole('heading', { name: 'Unlock the triage service' }).waitFor({ timeout: 20_000 });
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('heading', { name: 'Sign in to the triage service' }).waitFor({ timeout: 20_000 });
    await p.goto(`${server.url}/triage`);
    await p.getByRole('heading', { name: 'Sign in to the triage service' }).waitFor({ timeout: 20_000 });
  });

  it('says a code has just been used, rather than that the details are wrong', async () => {
    const p = await fresh();
    const code = totpCode(CENTRAL);
    await submitSignIn(p, server.url, CENTRAL, code);
    await p.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
    await p.getByRole('button', { name: 'Sign out', exact: true }).first().click();
    await p.getByRole('heading', { name: 'Sign in to the triage service' }).waitFor({ timeout: 20_000 });
    await submitSignIn(p, server.url, CENTRAL, code);
    const summary = p.locator('.govuk-error-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.innerText()).toContain('That code has just been used. Wait for the next code');
    expect(await p.locator('#code-error').innerText()).toContain('just been used');
    await expectAccessible(p);
  });

  it('says a referral waits for the other team, and keeps the case open here until then', async () => {
    const ref = await fileReport(server.url, 'bullying', 'nw-response-camden', 'Referral test narrative');
    const p = await fresh();
    await signInToInbox(p, server.url, LEAD);
    await p.getByRole('link', { name: ref }).click();
    await p.locator('#knows-people-no').check();
    await p.getByRole('button', { name: 'Continue' }).click();
    await p.locator('#refer-to').waitFor({ timeout: 20_000 });
    await p.locator('#refer-to').selectOption('dps-central');
    await p.getByRole('button', { name: 'Refer' }).click();
    const banner = p.locator('.govuk-notification-banner--success');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toContain(`Case ${ref} is waiting for`);
    expect(await banner.innerText()).toContain('You keep access to it until they do');
    // Focus moved to the confirmation, so it is heard as well as seen.
    expect(await p.evaluate(() => document.activeElement?.closest('.govuk-notification-banner') !== null)).toBe(true);
    expect(await heading(p)).toBe(`Case ${ref}`);
    expect(await p.getByTestId('referral-pending').innerText()).toContain('stays with your team');
    expect(await p.locator('#refer-to').count()).toBe(0);
    await expectAccessible(p);
    // The inbox lists it as waiting for the other team.
    await goInApp(p, '/triage');
    await p.getByTestId('referrals-outgoing').getByRole('link', { name: ref }).waitFor({ timeout: 20_000 });
    await expectAccessible(p);
  });

  it('tells the owner of failed sign-ins on their account since they last signed in', async () => {
    const who = 'dps-central-2';
    const p = await fresh();
    for (let i = 0; i < 2; i++) {
      await p.goto(`${server.url}/triage/sign-in`);
      await fillSignIn(p, who, 'not the passphrase', '000000');
      await p.locator('.govuk-error-summary').waitFor({ timeout: 30_000 });
    }
    await signInToInbox(p, server.url, who);
    const banner = p.getByTestId('failed-sign-ins');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toContain('There were 2 failed attempts to sign in to your account since you last signed in.');
    await expectAccessible(p);
  });
});
