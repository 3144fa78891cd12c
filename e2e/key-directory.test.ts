// "Trust the keys, not the administrator", in Chromium: an administrator makes an
// identity-seeing account and it enrols, but the reporter's browser does not wrap
// to it until a lead of the team confirms its key in the lead's own browser; then
// new reports reach it and every colleague sees the change in their inbox. A
// directory answer with a changed key, a certificate from a non-lead or a missing
// link makes the reporter's browser refuse, in plain words, and send nothing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecipientsInfo } from '../shared/src/api/schemas.ts';
import { todayInLondon } from '../shared/src/domain/clock.ts';
import { fromB64u, generateKeyPair, newSigningKeyPair, openCert, ready, signCert, toB64u } from '../shared/src/crypto/index.ts';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { createAccount } from '../server/src/admin/service.ts';
import type { AppContext } from '../server/src/context.ts';
import { serverKeys } from '../server/src/server-keys.ts';
import { randomBytes } from 'node:crypto';
import { launch, needChromium } from './support/browser.ts';
import { expectAccessible } from './support/accessible.ts';
import { fillSignIn, goInApp, signInToInbox } from './support/staff.ts';

const TEAM = 'nw-bcu-psu';
const LEAD = 'nw-bcu-psu-lead';
const COLLEAGUE = 'nw-bcu-psu-1';
const INSIDER = 'insider';
const INSIDER_NAME = 'Pat Insider';
const PASSPHRASE = 'an insider passphrase that is long enough';
const codeFor = (secret: string, step = 0): string =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + step * 30_000 });

const SECRET = randomBytes(32);

describe.runIf(needChromium())('certified key directory in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let dir: string;
  let insiderTotp = '';
  let insiderFingerprint = '';
  const wrapsOf = async (caseRef: string) =>
    (await server.handle.db.selectFrom('case_keys').innerJoin('cases', 'cases.id', 'case_keys.case_id')
      .select(['case_keys.recipient_id', 'case_keys.identity']).where('cases.case_ref', '=', caseRef).execute())
      .map((r) => `${r.recipient_id}${r.identity ? '/identity' : ''}`);

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    await ready();
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-keys-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0, demoSignIn: [LEAD, COLLEAGUE], secret: SECRET });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The reporter's journey up to "Check your answers", for a named report to the North West PSU. */
  async function toCheckPage(page: Page): Promise<void> {
    const next = () => page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Start now' }).click();
    await page.locator('#category-bullying').check();
    await next();
    await page.locator('#unit-nw-response-camden').check();
    await next();
    await expect.poll(() => page.url()).toContain('/report/own-unit');
    await page.locator('#avoidOwnUnit').check(); // "Send it to" the North West PSU: the first choice
    await next();
    await page.locator('#narrative').fill('A sergeant keeps my leave requests unsigned');
    for (let i = 0; i < 5; i++) await next(); // when, where, who, witnesses: all optional
    await page.locator('#mode-named').check();
    await page.locator('#name').fill('Sam Reporter');
    await next();
    await expect.poll(() => page.url()).toContain('/report/check');
  }

  async function report(): Promise<string> {
    const page = await (await browser.newContext()).newPage();
    await toCheckPage(page);
    await page.locator('#send-report').click();
    await page.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    const ref = (await page.getByTestId('case-ref').innerText()).trim();
    await page.context().close();
    return ref;
  }

  it('an account an administrator made and that enrolled is not wrapped to by the reporter\'s browser', async () => {
    // The administrator's own service call, as the admin route makes it (its audit entry is signed with the server's key).
    const ctx = { db: server.handle.db, today: () => todayInLondon(), now: () => Date.now(), serverKeys: serverKeys(SECRET) } as unknown as AppContext;
    const { enrolmentSecret } = await createAccount(ctx, 'admin-demo', {
      username: INSIDER, displayName: INSIDER_NAME, role: 'triage', teams: [{ id: TEAM, seesIdentity: true, lead: false }],
    });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/triage/enrol`);
    await page.locator('#username').fill(INSIDER);
    await page.locator('#enrolment-secret').fill(enrolmentSecret);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Set up your sign-in' }).waitFor({ timeout: 20_000 });
    insiderTotp = (await page.locator('#totp-secret').textContent() ?? '').replace(/\s/g, '');
    await page.locator('#passphrase').fill(PASSPHRASE);
    await page.locator('#confirm').fill(PASSPHRASE);
    await page.locator('#code').fill(codeFor(insiderTotp));
    await page.getByRole('button', { name: 'Finish setting up' }).click();
    await page.getByRole('heading', { name: 'Sign in to the triage service' }).waitFor({ timeout: 30_000 });

    // The insider sees their own fingerprint, to read to their lead.
    await fillSignIn(page, INSIDER, PASSPHRASE, codeFor(insiderTotp, 1));
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Team keys' }).click();
    await page.getByRole('heading', { name: 'Team keys' }).waitFor();
    await expect.poll(() => page.locator('.govuk-inset-text .app-fingerprint').first().innerText()).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){3}$/);
    insiderFingerprint = await page.locator('.govuk-inset-text .app-fingerprint').first().innerText();
    await expectAccessible(page);
    await page.context().close();

    const ref = await report();
    const wraps = await wrapsOf(ref);
    expect(wraps).toContain(`${COLLEAGUE}/identity`);
    expect(wraps.filter((w) => w.startsWith(INSIDER))).toEqual([]);
  }, 120_000);

  it('a lead confirms the key in their browser after comparing fingerprints; then new reports reach it', async () => {
    const page = await (await browser.newContext()).newPage();
    await signInToInbox(page, server.url, LEAD);
    await goInApp(page, '/triage/keys');
    await page.getByRole('heading', { name: 'Team keys' }).waitFor();
    const request = page.locator('form.app-key-request', { hasText: INSIDER_NAME });
    await expect.poll(() => request.locator('.app-fingerprint').innerText()).toBe(insiderFingerprint);
    await expectAccessible(page);
    // Not ticked: the page says what to do, and nothing is certified.
    await request.getByRole('button', { name: `Confirm ${INSIDER_NAME}’s key` }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('compared');
    await expectAccessible(page);
    await request.getByRole('checkbox').check();
    await request.getByRole('button', { name: `Confirm ${INSIDER_NAME}’s key` }).click();
    await page.getByText(`${INSIDER_NAME} can now read new reports`).first().waitFor({ timeout: 20_000 });
    expect(await page.locator('form.app-key-request', { hasText: INSIDER_NAME }).count()).toBe(0);
    await expectAccessible(page);
    await page.context().close();

    const ref = await report();
    expect(await wrapsOf(ref)).toEqual(expect.arrayContaining([INSIDER, `${INSIDER}/identity`, COLLEAGUE]));
  }, 120_000);

  it('shows every team member the new recipient in their inbox', async () => {
    const page = await (await browser.newContext()).newPage();
    await signInToInbox(page, server.url, COLLEAGUE);
    const banner = page.getByTestId('key-changes');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toContain(`${INSIDER_NAME} can now read new reports sent to`);
    expect(await banner.innerText()).toContain('confirmed by');
    await expectAccessible(page);
    await page.context().close();
  });

  describe('a reporter\'s browser refuses a directory it cannot confirm', () => {
    type Tamper = (r: RecipientsInfo) => RecipientsInfo;
    const staffAt = (r: RecipientsInfo, f: (x: RecipientsInfo['recipients'][number]) => RecipientsInfo['recipients'][number]): RecipientsInfo => {
      let done = false;
      return { ...r, recipients: r.recipients.map((x) => (x.kind === 'staff' && !done ? ((done = true), f(x)) : x)) };
    };
    const attacker = () => toB64u(generateKeyPair().publicKey);
    const cases: [string, Tamper][] = [
      ['a changed key', (r) => staffAt(r, (x) => ({ ...x, publicKey: attacker() }))],
      ['a certificate signed by someone who is not a lead', (r) => staffAt(r, (x) => {
        const stranger = newSigningKeyPair();
        const key = fromB64u(attacker());
        const forged = signCert({ ...openCert(x.chain[0]!), key, signer: stranger.publicKey }, stranger);
        return { ...x, publicKey: toB64u(key), chain: [forged, x.chain[1]!] };
      })],
      ['a missing link', (r) => staffAt(r, (x) => ({ ...x, chain: x.chain.slice(0, 1) }))],
    ];
    it.each(cases)('%s', async (_what, tamper) => {
      const page = await (await browser.newContext()).newPage();
      const posted: string[] = [];
      page.on('request', (req) => { if (req.url().endsWith('/api/v1/reports')) posted.push(req.method()); });
      await toCheckPage(page);
      await page.route('**/api/v1/intake/recipients?**', async (route: Route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, json: tamper((await res.json()) as RecipientsInfo) });
      });
      await page.locator('#send-report').click();
      const summary = page.locator('.govuk-error-summary');
      await summary.waitFor({ timeout: 20_000 });
      expect(await summary.innerText()).toContain('We could not confirm who will read your report, so we have not sent it.');
      expect(await page.locator('#send-report').innerText()).toBe('Try again');
      expect(posted).toEqual([]);
      await expectAccessible(page);
      await page.context().close();
    }, 60_000);
  });
});
