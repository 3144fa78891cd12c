// The staff workspace in Chromium: a reporter writes on a closed case, the
// officer finds it flagged in the Open tab, reads and replies, and the
// reporter reads the reply; the inbox finds a case by a typed reference, pages
// and sorts, counts its tabs and offers only covered units; a lead reopens the
// case with a reason (audited) and the reporter sees it open again.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted } from '../seeds/demo-server.ts';
import { demoTotpSecret } from '../seeds/demo.ts';
import { COMMANDS } from '../seeds/structure.ts';
import { setStatus } from '../server/src/case/repository.ts';
import { recipientsFor, submitReport } from '../server/src/intake/service.ts';
import { formatToken, sealSubmission } from '../shared/src/crypto/index.ts';
import { addDays, NEVER_DUE, todayInLondon } from '../shared/src/domain/clock.ts';
import { expectAccessible } from './support/accessible.ts';
import { needChromium, launch } from './support/browser.ts';

const WORDS = { after: 'Since the case closed I have been left off every rota Quenby', reply: 'Thank you, we are looking into this now Harrowgate', reason: 'Victimisation after closure' };
const code = (u: string) => new TOTP({ secret: Secret.fromBase32(demoTotpSecret(u)), algorithm: 'SHA1', digits: 6, period: 30 }).generate();


describe.runIf(needChromium())('triage inbox and closed cases in Chromium', () => {
  let server: DemoStarted;
  let browser: Browser;
  let reporter: Page;
  let staff: Page;
  let dir: string;
  let token = '';
  let ref = '';
  let secondNewest = '';
  const today = todayInLondon();

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-inbox-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0, demoSignIn: ['nw-bcu-psu-1', 'nw-bcu-psu-lead'] });
    const db = server.handle.db;
    // 30 more North West cases, a day apart, so the Open tab has two pages; the first is closed.
    for (let k = 0; k < 30; k++) {
      const draft = { mode: 'anonymous' as const, category: 'bullying', unit: 'nw-cid', report: { narrative: `Inbox case ${k}` } };
      const sealed = sealSubmission(draft, (await recipientsFor(db, draft)).recipients);
      const { caseRef } = await submitReport(db, sealed.body, addDays(today, -(40 + k)));
      if (k === 0) {
        token = formatToken(sealed.token);
        ref = caseRef;
        const row = await db.selectFrom('cases').select('id').where('case_ref', '=', caseRef).executeTakeFirstOrThrow();
        await setStatus(db, row.id, 'closed', { outcome: 'management_action', on: addDays(today, -5) });
      }
      if (k === 1) secondNewest = caseRef;
    }
    browser = await launch();
    reporter = await (await browser.newContext()).newPage();
    staff = await (await browser.newContext()).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const main = (p: Page) => p.locator('main');
  const next = (p: Page) => p.getByRole('button', { name: 'Continue' }).click();
  const rows = () => staff.locator('[data-testid="cases"] tbody tr');
  const counts = async () => {
    const r = await server.handle.db.selectFrom('cases').select(['next_due_on']).where('team_id', '=', 'nw-bcu-psu').execute();
    return { open: r.filter((x) => x.next_due_on! < NEVER_DUE).length, closed: r.filter((x) => x.next_due_on === NEVER_DUE).length };
  };

  async function signIn(p: Page, u: string) {
    await p.goto(`${server.url}/triage/sign-in`);
    await p.locator('#username').fill(u);
    await p.locator('#passphrase').fill(`demo-pass-${u}`);
    await p.locator('#code').fill(code(u));
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
  }

  async function openCase(p: Page) {
    await p.getByRole('link', { name: ref }).first().click();
    await p.getByText('Do you know any of the people involved?').waitFor({ timeout: 20_000 });
    await p.locator('#knows-people-no').check();
    await next(p);
    await p.getByRole('heading', { name: `Case ${ref}` }).waitFor({ timeout: 20_000 });
  }

  async function reporterCase(): Promise<string> {
    await reporter.goto(`${server.url}/case`);
    await reporter.locator('#token').fill(token);
    await next(reporter);
    await reporter.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    return main(reporter).innerText();
  }

  it('the reporter writes on the closed case; the officer sees it flagged in the Open tab', async () => {
    expect(await reporterCase()).toContain('Closed');
    await reporter.locator('#message').fill(WORDS.after);
    await reporter.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => main(reporter).innerText(), { timeout: 10_000 }).toContain(WORDS.after);

    await signIn(staff, 'nw-bcu-psu-1');
    const row = rows().filter({ hasText: ref });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('New message on a closed case');
    const c = await counts();
    expect(await staff.locator('#tab-open').innerText()).toContain(`Open (${c.open})`);
    expect(await staff.locator('#tab-closed').innerText()).toContain(`Closed (${c.closed})`);
    await expectAccessible(staff);
  });

  it('the officer reads the message and replies on the closed case; the reporter reads the reply', async () => {
    await openCase(staff);
    await expect.poll(() => main(staff).innerText(), { timeout: 20_000 }).toContain(WORDS.after);
    await staff.locator('#message').fill(WORDS.reply);
    await staff.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => staff.locator('.govuk-notification-banner--success').innerText(), { timeout: 20_000 }).toContain('sent');
    expect(await reporterCase()).toContain(WORDS.reply);
  });

  it('finds a case by a typed reference, and says so when there is none', async () => {
    await staff.locator('a.govuk-back-link').click();
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await staff.locator('#find-ref').fill(ref.toLowerCase().replace(/-/g, ''));
    await staff.getByRole('button', { name: 'Find case' }).click();
    await expect.poll(() => rows().allInnerTexts(), { timeout: 20_000 }).toEqual([expect.stringContaining(ref)]);
    await expectAccessible(staff);
    await staff.locator('#find-ref').fill('rc00000000');
    await staff.getByRole('button', { name: 'Find case' }).click();
    await staff.getByTestId('no-case').waitFor({ timeout: 20_000 });
    expect(await staff.getByTestId('no-case').innerText()).toContain('RC-0000-0000');
    await staff.locator('#find-ref').fill('not a ref');
    await staff.getByRole('button', { name: 'Find case' }).click();
    await staff.locator('.govuk-error-summary').waitFor();
    await expectAccessible(staff);
    await staff.getByRole('button', { name: 'Back to all cases' }).click();
  });

  it('pages, sorts, counts the tabs and offers only covered units', async () => {
    await rows().first().waitFor({ timeout: 20_000 });
    const c = await counts();
    expect(c.open).toBeGreaterThan(25);
    expect(await staff.locator('#tab-open').innerText()).toContain(`Open (${c.open})`);
    expect(await rows().count()).toBe(25);
    await staff.getByRole('link', { name: /Next page/ }).click();
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(c.open - 25);
    await expectAccessible(staff);
    await staff.getByRole('link', { name: /Previous page/ }).click();
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(25);
    await staff.locator('#tab-closed').click();
    await expect.poll(() => rows().allInnerTexts(), { timeout: 20_000 }).toEqual([expect.stringContaining(ref)]);
    await staff.locator('#tab-open').click();
    await staff.locator('#filter-sort').selectOption('received');
    await staff.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => staff.locator('caption').innerText(), { timeout: 20_000 }).toContain('newest first');
    // Newest first: the demo case (12 days old), then the newest seeded open one (41 days); by due date it would be near the end.
    // Polled: the caption follows the chosen sort at once, the rows when the new page arrives.
    await expect.poll(() => rows().nth(1).innerText(), { timeout: 20_000 }).toContain(secondNewest);
    const units = await staff.locator('#filter-unit option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean).sort());
    expect(units).toEqual(COMMANDS.find((x) => x.id === 'nw-bcu')!.units.map((u) => u.id).sort());
    await expectAccessible(staff);
  });

  it('a lead reopens the case with a reason; it is audited and the reporter sees it open again', async () => {
    const lead = await (await browser.newContext()).newPage();
    await signIn(lead, 'nw-bcu-psu-lead');
    await lead.locator('#tab-closed').click();
    await lead.getByRole('link', { name: ref }).waitFor({ timeout: 20_000 });
    await openCase(lead);
    await lead.locator('#reopen-reason').fill(WORDS.reason);
    await lead.getByRole('button', { name: 'Reopen case' }).click();
    await expect.poll(() => lead.locator('.govuk-notification-banner--success').innerText(), { timeout: 20_000 }).toContain('reopened');
    expect(await main(lead).innerText()).toContain(`Reopened: ${WORDS.reason}`);
    await expectAccessible(lead);
    const audit = await server.handle.db.selectFrom('audit_log').select(['actor', 'case_ref', 'detail']).where('action', '=', 'case.reopen').execute();
    expect(audit.map((a) => [a.actor, a.case_ref])).toEqual([['nw-bcu-psu-lead', ref]]);
    expect(audit[0]!.detail).not.toContain('Victimisation');
    const text = await reporterCase();
    expect(text).toContain('Being assessed');
    // The reporter's case trail shows the closing and the reopening, each with its day.
    expect(text).toContain('Case reopened and being assessed again');
  });
});
