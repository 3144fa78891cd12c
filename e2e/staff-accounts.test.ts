// Staff accounts in Chromium: a new officer enrols with the one-time secret
// (TOTP shown as a QR code and as text, key pair made in the browser, new
// passphrase), signs in, and from then on reports are sealed to the key their
// browser made. Oversight signs in and sees counts, never a word of a case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { demoEnrolmentSecret, demoTotpSecret } from '../seeds/demo.ts';
import { launch, needChromium } from './support/browser.ts';
import { expectAccessible } from './support/accessible.ts';

const NEW_PASSPHRASE = 'a long new passphrase for the demo';

/** A code for `step` periods from now: each step can be used once, so sign-in after enrolment needs the next one. */
const codeFor = (secret: string, step = 0): string =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + step * 30_000 });

describe.runIf(needChromium())('staff enrolment and oversight in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-staff-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite') });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });


  async function signIn(page: Page, username: string, passphrase: string, code: string): Promise<void> {
    await page.locator('#username').fill(username);
    await page.locator('#passphrase').fill(passphrase);
    await page.locator('#code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('enrols a new officer whose browser makes the key pair, then signs them in', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/triage/enrol`);
    await expectAccessible(page);
    await page.locator('#username').fill('new-officer');
    await page.locator('#enrolment-secret').fill(demoEnrolmentSecret());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Set up your sign-in' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('img[src^="data:image/svg+xml"]').count()).toBe(1);
    await expectAccessible(page);
    const secret = (await page.locator('#totp-secret').textContent() ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.locator('#passphrase').fill(NEW_PASSPHRASE);
    await page.locator('#confirm').fill(NEW_PASSPHRASE);
    await page.locator('#code').fill(codeFor(secret));
    await page.getByRole('button', { name: 'Finish setting up' }).click();
    await page.getByRole('heading', { name: 'Sign in to the triage service' }).waitFor({ timeout: 30_000 });

    // The enrolment secret is spent: it no longer starts an enrolment.
    const again = await page.request.post(`${server.url}/api/v1/staff/auth/enrol/start`, {
      data: { username: 'new-officer', enrolmentSecret: demoEnrolmentSecret() },
    });
    expect(again.status()).toBe(401);

    await signIn(page, 'new-officer', NEW_PASSPHRASE, codeFor(secret, 1));
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });

    // Enrolled, but no lead has certified the key the officer's browser made: new reports are not wrapped to it.
    const listed = (await server.app.inject({ method: 'GET', url: '/api/v1/intake/recipients?category=bullying&unit=nw-response-camden' })).json();
    const row = await server.handle.db.selectFrom('staff').select('public_key').where('id', '=', 'new-officer').executeTakeFirstOrThrow();
    expect(row.public_key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((listed.recipients as { publicKey: string }[]).map((r) => r.publicKey)).not.toContain(row.public_key);
  });

  it('shows oversight the numbers and no case content', async () => {
    const page = await (await browser.newContext()).newPage();
    const requests: string[] = [];
    page.on('response', async (r) => {
      if (r.url().includes('/api/v1/staff/') && r.request().method() === 'GET') requests.push(await r.text());
    });
    await page.goto(`${server.url}/triage/sign-in`);
    await signIn(page, 'oversight-demo', 'demo-pass-oversight-demo', codeFor(demoTotpSecret('oversight-demo')));
    await page.getByRole('heading', { name: 'Case numbers' }).waitFor({ timeout: 30_000 });
    await expectAccessible(page);
    const text = await page.locator('main').innerText();
    expect(text).toContain('By command');
    expect(text).toMatch(/These figures cover every case received up to the end of \d+ \w+ \d{4}/);
    expect(text).not.toContain('Synthetic demo report');
    for (const body of requests) {
      expect(body).not.toMatch(/"(ct|nonce|keyWrap|sealed)"/);
    }
    const cases = await page.request.get(`${server.url}/api/v1/staff/cases`);
    expect(cases.status()).toBe(403);
  });
});
