// A referral in Chromium, two browsers at once: the sender refers, the case
// waits; a receiving officer opens it from "Referral waiting for you", their
// browser opens the wraps and confirms, and the sender finds it gone. With the
// refer request's wraps tampered (page.route) the receiving browser cannot open
// them: it sends the case back, and the sending lead sees the alert.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted } from '../seeds/demo-server.ts';
import { expectAccessible } from './support/accessible.ts';
import { launch, needChromium } from './support/browser.ts';
import { fileReport, goInApp, signInToInbox } from './support/staff.ts';

describe.runIf(needChromium())('referral confirmed by the receiving browser, in Chromium', () => {
  let server: DemoStarted;
  let browser: Browser;
  let dir: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-referral-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0 });
    browser = await launch();
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A browser of its own (one signed-in person each), signed in to the inbox. */
  const person = async (username: string): Promise<Page> => {
    const p = await (await browser.newContext()).newPage();
    pages.push(p);
    await signInToInbox(p, server.url, username);
    return p;
  };
  const openCase = async (p: Page, ref: string) => {
    await p.getByRole('link', { name: ref }).first().click();
    await p.locator('#knows-people-no').check();
    await p.getByRole('button', { name: 'Continue' }).click();
    await p.locator('#refer-to').waitFor({ timeout: 20_000 });
  };
  /** Leaves the case page and comes back, as a person would (the page loads the case afresh). */
  const revisit = async (p: Page, ref: string) => {
    await goInApp(p, '/triage');
    await p.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 20_000 });
    await goInApp(p, `/triage/case/${ref}`);
  };
  const refer = async (p: Page, ref: string) => {
    await p.locator('#refer-to').selectOption('dps-central');
    await p.getByRole('button', { name: 'Refer' }).click();
    await p.locator('.govuk-notification-banner--success').getByText(`Case ${ref} is waiting for`).waitFor({ timeout: 30_000 });
  };

  it('good wraps: the receiving browser confirms, then the case is gone for the sender', async () => {
    const ref = await fileReport(server.url, 'bullying', 'nw-response-camden', 'Referral e2e Pellinore');
    const sender = await person('nw-bcu-psu-1');
    await openCase(sender, ref);
    await refer(sender, ref);

    const receiver = await person('dps-central-1');
    const waiting = receiver.getByTestId('referrals-incoming');
    await waiting.waitFor({ timeout: 20_000 });
    expect(await waiting.getByRole('heading').innerText()).toBe('Referral waiting for you');
    await expectAccessible(receiver);
    await waiting.getByRole('link', { name: ref }).click();
    // The browser opened the wraps and confirmed: the case is this team's now, starting with the conflict question.
    await receiver.getByText('Do you know any of the people involved?').waitFor({ timeout: 30_000 });
    await receiver.locator('#knows-people-no').check();
    await receiver.getByRole('button', { name: 'Continue' }).click();
    await receiver.getByText('Referral e2e Pellinore').first().waitFor({ timeout: 30_000 });
    expect(await receiver.locator('main').innerText()).toContain('Referred');

    // The sender reopens it: gone.
    await revisit(sender, ref);
    await sender.getByText('You do not have access to this case, or it does not exist.').waitFor({ timeout: 20_000 });
    await goInApp(sender, '/triage');
    await sender.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    // Once the list has loaded (its status line), the case is in neither the list nor the referrals.
    await sender.getByText(/\d+ cases? shown/).waitFor({ timeout: 20_000 });
    expect(await sender.getByRole('link', { name: ref }).count()).toBe(0);
  });

  it('junk wraps: the receiving browser sends the case back and the sending lead sees why', async () => {
    const ref = await fileReport(server.url, 'bullying', 'nw-response-camden', 'Referral e2e Gawain');
    const sender = await person('nw-bcu-psu-2');
    // Tamper with the refer request as it leaves the sender's browser: every wrap becomes random bytes.
    await sender.route('**/api/v1/staff/cases/*/refer', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { teamId: string; wraps: { sealed: string }[] };
      body.wraps = body.wraps.map((w) => ({ ...w, sealed: randomBytes(80).toString('base64url') }));
      await route.continue({ postData: JSON.stringify(body) });
    });
    await openCase(sender, ref);
    await refer(sender, ref);

    const receiver = await person('dps-central-2');
    await receiver.getByTestId('referrals-incoming').getByRole('link', { name: ref }).click();
    const notice = receiver.locator('.govuk-notification-banner');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.innerText()).toContain(`Case ${ref} could not be opened`);
    expect(await notice.innerText()).toContain('has gone back to');
    expect(await receiver.getByRole('heading', { level: 1 }).innerText()).toBe('Cases');
    expect(await receiver.getByTestId('referrals-incoming').count()).toBe(0);
    await expectAccessible(receiver);
    await goInApp(receiver, `/triage/case/${ref}`);
    await receiver.getByText('You do not have access to this case, or it does not exist.').waitFor({ timeout: 20_000 });

    // Back with the sender, full access; the lead is told.
    await revisit(sender, ref);
    await sender.locator('#refer-to').waitFor({ timeout: 20_000 });
    const lead = await person('nw-bcu-psu-lead');
    const returned = lead.getByTestId('referrals-returned');
    await returned.waitFor({ timeout: 20_000 });
    expect(await returned.innerText()).toContain(ref);
    expect(await returned.innerText()).toContain('the key to the case did not open');
    await expectAccessible(lead);
    await returned.getByRole('button', { name: `Dismiss ${ref}` }).click();
    await returned.waitFor({ state: 'detached', timeout: 20_000 });
  });
});
