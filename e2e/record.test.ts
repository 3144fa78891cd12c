// A private record in Chromium: started from the start page with the keyboard alone,
// written over three visits (each starting from the token typed again), unreadable to the
// database, the recovery key and every staff key before the holder decides; then turned
// into a report, and the routed triage officer sees the three dated entries and verifies
// each one's receipt in the browser. A second record is deleted and leaves no row. Every new page
// and error state is checked with axe at desktop and 320 px (and 200% zoom for reflow).
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../seeds/demo.ts';
import {
  fromB64u, parseAnyToken, ready, recordSession, toB64u, unwrapKey, unwrapRecordKey, type SymmetricKey,
} from '../shared/src/crypto/index.ts';
import { launch, needChromium } from './support/browser.ts';
import { dumpDatabase } from './support/dump.ts';
import { byHref, byId, byText, startPortal, tabTo, waitForHeading, type Portal } from './support/portal.ts';
import { auditLayouts } from './support/reflow.ts';
import { signInToInbox } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const ENTRIES = [
  { what: 'Sergeant Pellingrove mocked my accent at briefing', where: 'Briefing room at Hollowmere' },
  { what: 'Pellingrove left me off the Wexford overtime rota again', where: 'Rota email' },
  { what: 'Pellingrove blocked my Quarrington training request', where: 'Sergeants office' },
];
const SUBJECT = { name: 'Adrian Pellingrove', collar: 'NW8812', role: 'Response sergeant' };
const NOTE = 'Three months of this from Sergeant Pellingrove; my record is attached.';

describe.runIf(needChromium())('private record over three visits, then a report', () => {
  let portal: Portal;
  let browser: Browser;
  let holder: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let token = '';
  let caseRef = '';
  let reference = '';
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    await ready();
    portal = await startPortal('record');
    browser = await launch();
    holder = await browser.newContext();
    page = await holder.newPage();
    cdp = await holder.newCDPSession(page);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const press = (key: string) => page.keyboard.press(key);
  const audit = async (name: string) => problems.push(...(await auditLayouts(page, cdp, 'record', name)).map((p) => `${name}: ${p}`));
  const db = () => portal.handle.db;

  /** A fresh tab: nothing of an earlier visit is in memory. */
  async function newVisit(): Promise<void> {
    await page.close();
    page = await holder.newPage();
    cdp = await holder.newCDPSession(page);
  }

  async function openWithToken(text: string): Promise<void> {
    await page.goto(`${portal.url}/record/open`);
    await waitForHeading(page, 'Enter your record token', 'Open your record');
    await page.locator('#record-token').fill(text);
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record');
  }

  async function addEntry(i: number): Promise<void> {
    await page.getByRole('button', { name: 'Add an entry' }).click();
    await waitForHeading(page, 'Add an entry to your record');
    await page.locator('#what').fill(ENTRIES[i]!.what);
    await page.locator('#where').fill(ENTRIES[i]!.where);
    await page.locator('#name').fill(SUBJECT.name);
    await page.locator('#collar').fill(SUBJECT.collar);
    await page.getByRole('button', { name: 'Save entry' }).click();
    await waitForHeading(page, 'Your record');
    await expect.poll(() => page.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(i + 1);
  }

  it('starts a record from the start page with the keyboard alone and shows the token once', async () => {
    await page.goto(`${portal.url}/`);
    await waitForHeading(page, 'Raise a concern about someone in your force');
    await tabTo(page, byHref('/record'));
    await press('Enter');
    await waitForHeading(page, 'Keep a private record');
    expect(await page.locator('main').innerText()).toContain('No one but you');
    await audit('about');
    await page.locator('body').focus();
    await tabTo(page, byText('Start a record'));
    await press('Enter');
    await waitForHeading(page, 'Start a record');
    await audit('new');
    await tabTo(page, byId('create'));
    await press('Enter');
    await waitForHeading(page, 'Save your record token');
    token = (await page.getByTestId('record-token').innerText()).replace(/\s/g, '');
    expect(token).toMatch(/^REC-[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    await audit('token');
    // Leaving inside the portal before confirming asks first, as for a case token; the answer here is "stay".
    const asked: string[] = [];
    const onDialog = (d: Dialog) => { asked.push(`${d.type()}: ${d.message()}`); void d.dismiss(); };
    page.on('dialog', onDialog);
    await page.locator('a.govuk-back-link').click();
    await expect.poll(() => asked).toEqual([expect.stringMatching(/^confirm: .*saved your record token/)]);
    page.off('dialog', onDialog);
    expect(new URL(page.url()).pathname).toBe('/record/new');
    expect(await page.getByTestId('record-token').isVisible()).toBe(true);
    // Continue without confirming: the error state, then the checkbox by keyboard.
    await tabTo(page, byText('Continue'));
    await press('Enter');
    await page.waitForSelector('.govuk-error-summary:focus');
    await audit('token-error');
    await tabTo(page, byId('saved'));
    await press('Space');
    await tabTo(page, byText('Continue'));
    await press('Enter');
    await waitForHeading(page, 'Your record');
    await audit('record-empty');

    // First entry, keyboard only: an empty save shows the error summary first.
    await tabTo(page, byText('Add an entry'));
    await press('Enter');
    await waitForHeading(page, 'Add an entry to your record');
    await tabTo(page, byText('Save entry'));
    await press('Enter');
    await page.waitForSelector('.govuk-error-summary:focus');
    await audit('add-error');
    await press('Tab');
    await press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('what');
    await page.keyboard.type(ENTRIES[0]!.what);
    await tabTo(page, byId('where'));
    await page.keyboard.type(ENTRIES[0]!.where);
    await tabTo(page, byId('name'));
    await page.keyboard.type(SUBJECT.name);
    await tabTo(page, byId('collar'));
    await page.keyboard.type(SUBJECT.collar);
    await tabTo(page, byId('role'));
    await page.keyboard.type(SUBJECT.role);
    await tabTo(page, byText('Save entry'));
    await press('Enter');
    await waitForHeading(page, 'Your record');
    await expect.poll(() => page.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(1);
    const text = await page.locator('main').innerText();
    expect(text).toContain(ENTRIES[0]!.what);
    expect(text).toContain(`${SUBJECT.name}, collar number ${SUBJECT.collar}, ${SUBJECT.role}`);
    await audit('record-one');
    await page.getByRole('button', { name: 'Close my record' }).click();
    await waitForHeading(page, 'You have closed your record');
    await audit('closed');
  }, 120_000);

  it('comes back twice with the token to add entries; typing mistakes are caught first', async () => {
    await newVisit();
    await page.goto(`${portal.url}/record/open`);
    await waitForHeading(page, 'Enter your record token', 'Open your record');
    await audit('open');
    // A wrong last (check) character, and a case token, are refused in the browser with their own words.
    const last = token.at(-1) === '0' ? '1' : '0';
    await page.locator('#record-token').fill(token.slice(0, -1) + last);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('.govuk-error-summary:focus');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('typing mistake');
    await audit('open-error');
    await page.locator('#record-token').fill(token.slice(4));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').innerText()).toContain('case token, not a record token');

    await page.locator('#record-token').fill(token.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record');
    await addEntry(1);
    // The administrator has set a period for private records: from now on the holder is shown the day it would go.
    await db().insertInto('retention_rules').values({ outcome: 'record', months: 24, set_on: '2026-01-01', set_by: 'admin-demo' }).execute();
    await newVisit();
    await openWithToken(token);
    await addEntry(2);
    await expect.poll(() => page.getByTestId('record-expiry').innerText())
      .toMatch(new RegExp(`^If you add nothing before \\d{1,2} \\w+ ${new Date().getUTCFullYear() + 2}, this record will be deleted on that day`));
    await db().deleteFrom('retention_rules').where('outcome', '=', 'record').execute();
    const text = await page.locator('main').innerText();
    for (const e of ENTRIES) expect(text).toContain(e.what);
    expect(text.match(/Entry \d: received /g)).toHaveLength(3);
    await expect.poll(async () => (await page.getByTestId('entry-receipt').allInnerTexts()).filter((x) => x.startsWith('Verified')).length, { timeout: 20_000 }).toBe(3);
    // The holder keeps each receipt as a file; it names the entry kind and the day, not a word of the entry.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download receipt for entry 2' }).click(),
    ]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8')) as { kind: string; receivedOn: string; caseRef: string };
    expect(saved).toMatchObject({ kind: 'entry', receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), caseRef: expect.stringMatching(/^RC-/) });
    reference = saved.caseRef;
    await audit('record-three');
  }, 120_000);

  it('before any report, neither the database, the recovery key nor any staff key opens it', async () => {
    const dump = await dumpDatabase(db() as never, portal.dbFile);
    for (const w of [...ENTRIES.flatMap((e) => [e.what, e.where]), ...Object.values(SUBJECT), token, token.replace(/-/g, '')]) {
      expect(dump).not.toContain(w);
    }
    const parsed = parseAnyToken(token);
    if (!parsed.ok) throw new Error('token');
    const s = recordSession(parsed.token);
    const rec = await db().selectFrom('records').selectAll().executeTakeFirstOrThrow();
    const recordKey: SymmetricKey = unwrapRecordKey(s.wrapKey, fromB64u(rec.id), fromB64u(rec.holder_key!));
    const entries = await db().selectFrom('record_entries').selectAll().where('record_id', '=', rec.id).execute();
    expect(entries).toHaveLength(3);
    for (const e of entries) expect(e.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Not one stored wrap, to the recovery key or to any staff member, opens to the record key.
    const wraps = await db().selectFrom('case_keys').selectAll().execute();
    expect(wraps.length).toBeGreaterThan(0);
    const opens = wraps.filter((w) => {
      try {
        const kp = w.kind === 'recovery' ? demoRecoveryKeyPair() : demoStaffKeyPair(w.recipient_id);
        return toB64u(unwrapKey(kp, fromB64u(w.sealed))) === toB64u(recordKey);
      } catch {
        return false;
      }
    });
    expect(opens).toEqual([]);
  });

  it('turns into a report to the team the holder chooses', async () => {
    await newVisit();
    await openWithToken(token);
    await page.getByRole('link', { name: 'Turn my record into a report' }).click();
    await waitForHeading(page, 'Turn your record into a report');
    await audit('report');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForSelector('.govuk-error-summary:focus');
    await audit('report-error');
    await page.locator('#category-bullying').check();
    await page.locator('#unit-nw-response-camden').check();
    await page.locator('#note').fill(NOTE);
    await page.locator('#mode').check(); // anonymous (named: e2e/named-conversion.test.ts)
    await page.getByRole('button', { name: 'Send report' }).click();
    await waitForHeading(page, 'Report sent');
    caseRef = (await page.getByTestId('case-ref').innerText()).trim();
    // The case takes the record's reference, the one its entries' receipts name.
    expect(caseRef).toBe(reference);
    await audit('sent');
    // The same token now opens the case.
    await page.goto(`${portal.url}/case`);
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('main').innerText(), { timeout: 20_000 }).toContain(caseRef);
  }, 120_000);

  it('shows the triage officer the three dated entries, each checked against its sealed hash', async () => {
    const staff = await (await browser.newContext()).newPage();
    await signInToInbox(staff, portal.url, OFFICER);
    await staff.getByRole('link', { name: caseRef }).click();
    await staff.locator('#knows-people-no').check({ timeout: 20_000 });
    await staff.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => staff.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(3);
    const text = await staff.locator('main').innerText();
    expect(text).toContain(NOTE);
    for (const e of ENTRIES) expect(text).toContain(e.what);
    expect(text.match(/Entry \d: received /g)).toHaveLength(3);
    expect(text.match(/Matches the stored entry/g)).toHaveLength(3);
    // Each entry's receipt, issued on the day it was kept, verifies in the officer's browser against
    // the published key and the bytes the case holds now.
    await expect.poll(async () => (await staff.getByTestId('entry-receipt').allInnerTexts()).filter((x) => x.startsWith('Verified')).length, { timeout: 20_000 }).toBe(3);
    const staffCdp = await staff.context().newCDPSession(staff);
    problems.push(...(await auditLayouts(staff, staffCdp, 'record', 'triage-case')).map((p) => `triage-case: ${p}`));
  }, 120_000);

  it('deletes a second record: confirm, error state, and nothing of it remains', async () => {
    await newVisit();
    await page.goto(`${portal.url}/record/new`);
    await page.getByRole('button', { name: 'Create my record' }).click();
    await waitForHeading(page, 'Save your record token');
    await page.locator('#saved').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record');
    await addEntry(0);
    const before = await db().selectFrom('records').select('id').where('access_hash', 'is not', null).execute();
    expect(before).toHaveLength(1);
    await page.getByRole('link', { name: 'Delete my record' }).click();
    await waitForHeading(page, 'Are you sure you want to delete your record?');
    await audit('delete');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('.govuk-error-summary:focus');
    await audit('delete-error');
    await page.locator('#delete').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record has been deleted');
    await audit('deleted');
    expect(await db().selectFrom('records').selectAll().where('id', '=', before[0]!.id).execute()).toEqual([]);
    expect(await db().selectFrom('record_entries').selectAll().where('record_id', '=', before[0]!.id).execute()).toEqual([]);
    // The converted record's three entries are still there, with its case.
    expect(await db().selectFrom('record_entries').selectAll().execute()).toHaveLength(3);
  }, 120_000);

  it('has no axe violations or reflow problems on any of those pages', () => {
    expect(problems).toEqual([]);
  });
});
