// A private record with a file, in Chromium: written over two visits, the second entry
// carrying a JPEG with GPS and camera details, added with the keyboard alone (a refused
// file first, then a full record: the error states; then a dropped chunk that resumes). The holder sees what was removed, then the file and its
// receipt with the entry, and downloads it clean. The database holds no name and no
// metadata, and no staff or recovery key opens the file before the holder decides. Turned
// into a report, the triage officer sees the entry with its file, downloads it decrypted
// and without the metadata, and the staff receipt check finds the holder's file receipt.
// axe (desktop, 320 px, 200%) on the add-entry page, its error state, the record page and
// the triage case.
import { existsSync, readFileSync } from 'node:fs';
import exifr from 'exifr';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../seeds/demo.ts';
import {
  deriveReporterKeyPair, fromB64u, openAttachmentMeta, parseAnyToken, ready, recordSession, unwrapKey, unwrapRecordKey, type CaseToken,
  type SymmetricKey,
} from '../shared/src/crypto/index.ts';
import { CAMERA, SERIAL, tinyJpeg, withJpegMetadata } from './fixtures/metadata.ts';
import { launch, needChromium } from './support/browser.ts';
import { byId, byText, pickFilesWithSpace, startPortal, tabTo, waitForHeading, type Portal } from './support/portal.ts';
import { auditLayouts } from './support/reflow.ts';
import { signInToInbox } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const FIRST = 'Inspector Quellbury shouted at me in the custody suite';
const SECOND = 'Quellbury wrote on the whiteboard about me; photo attached';
const PHOTO = 'whiteboard.jpg';

describe.runIf(needChromium())('a private record with a file, turned into a report', () => {
  let portal: Portal;
  let browser: Browser;
  let holder: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let token = '';
  let fileReceipt = '';
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    await ready();
    portal = await startPortal('record-files');
    browser = await launch();
    holder = await browser.newContext({ acceptDownloads: true });
    page = await holder.newPage();
    cdp = await holder.newCDPSession(page);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const press = (key: string) => page.keyboard.press(key);
  const audit = async (name: string) => problems.push(...(await auditLayouts(page, cdp, 'record-files', name)).map((p) => `${name}: ${p}`));
  const db = () => portal.handle.db;

  async function newVisit(): Promise<void> {
    await page.close();
    page = await holder.newPage();
    cdp = await holder.newCDPSession(page);
    await page.goto(`${portal.url}/record/open`);
    await waitForHeading(page, 'Enter your record token', 'Open your record');
    await page.locator('#record-token').fill(token);
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record');
  }

  /** Keyboard only: Tab to the file input, Space opens the chooser, which is given the files. */
  async function chooseByKeyboard(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    await tabTo(page, byId('files'));
    await pickFilesWithSpace(page, files);
  }

  it('starts a record and keeps a first entry', async () => {
    await page.goto(`${portal.url}/record/new`);
    await page.getByRole('button', { name: 'Create my record' }).click();
    await waitForHeading(page, 'Save your record token');
    token = (await page.getByTestId('record-token').innerText()).replace(/\s/g, '');
    await page.locator('#saved').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Your record');
    await page.getByRole('button', { name: 'Add an entry' }).click();
    await waitForHeading(page, 'Add an entry to your record');
    await page.locator('#what').fill(FIRST);
    await page.getByRole('button', { name: 'Save entry' }).click();
    await waitForHeading(page, 'Your record');
    await expect.poll(() => page.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(1);
  }, 120_000);

  it('comes back and adds an entry with a photo, keyboard only, seeing the limits and what was removed', async () => {
    await newVisit();
    await tabTo(page, byText('Add an entry'));
    await press('Enter');
    await waitForHeading(page, 'Add an entry to your record');
    // The limits are on the page before anything is chosen.
    expect(await page.locator('#files-hint').innerText()).toContain('You can add up to 10 files at a time');
    expect(await page.locator('#files-hint').innerText()).toContain('Your record can hold 40 files, 100 MB in all');
    await tabTo(page, byId('what'));
    await page.keyboard.type(SECOND);
    // A program is refused: the error state, announced in the summary.
    await chooseByKeyboard([{ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') }]);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('#files-error').innerText()).toContain('tool.exe must be a photo, PDF');
    await audit('add-file-error');
    await page.locator('body').focus();
    await chooseByKeyboard([{ name: PHOTO, mimeType: 'image/jpeg', buffer: Buffer.from(withJpegMetadata(tinyJpeg())) }]);
    const list = page.locator('.app-file-list');
    await expect.poll(() => list.locator('.govuk-summary-list__row').count()).toBe(1);
    expect(await list.innerText()).toContain('EXIF (camera, date, GPS location, serial numbers)');
    await expect.poll(() => page.locator('.govuk-error-summary').count()).toBe(0);
    await audit('add-file');
    // The record is full (the server says so): the entry is not saved, and the holder is told why.
    const full = { error: { code: 'too_many_files', message: 'full' } };
    await page.route('**/api/v1/uploads', (route) => (route.request().method() === 'POST'
      ? route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify(full) }) : route.continue()));
    await tabTo(page, byText('Save entry'));
    await press('Enter');
    await page.waitForSelector('.govuk-error-summary:focus');
    expect(await page.locator('#files-error').innerText()).toContain('as many files as it can');
    await audit('add-file-full-error');
    await page.unroute('**/api/v1/uploads');
    // Then the connection drops on the file's only chunk once: the upload resumes by itself.
    let cut = 0;
    await page.route('**/api/v1/uploads/*/chunks/0', (route) => {
      if (route.request().method() === 'PUT' && cut++ === 0) return route.abort('internetdisconnected');
      return route.continue();
    });
    await tabTo(page, byText('Save entry'));
    await press('Enter');
    await waitForHeading(page, 'Your record');
    expect(cut).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('record-entry').count(), { timeout: 30_000 }).toBe(2);
    const second = page.getByTestId('record-entry').nth(1);
    expect(await second.getByTestId('entry-file').innerText()).toContain(PHOTO);
    await expect.poll(async () => (await page.getByTestId('entry-receipt').allInnerTexts()).filter((x) => x.startsWith('Verified')).length, { timeout: 20_000 }).toBe(2);

    // The holder downloads it back: the cleaned picture, and its receipt is checked against the chunks fetched.
    const [d] = await Promise.all([page.waitForEvent('download'), second.getByRole('button', { name: `Download ${PHOTO}` }).click()]);
    const jpeg = readFileSync((await d.path()) as string);
    expect(jpeg.equals(Buffer.from(tinyJpeg()))).toBe(true);
    await expect.poll(() => second.getByTestId('file-receipt').innerText(), { timeout: 20_000 }).toContain('Verified');
    const [r] = await Promise.all([page.waitForEvent('download'), second.getByRole('button', { name: `Download receipt for ${PHOTO}` }).click()]);
    fileReceipt = readFileSync((await r.path()) as string, 'utf8');
    expect(JSON.parse(fileReceipt)).toMatchObject({ kind: 'attachment', caseRef: expect.stringMatching(/^RC-/) });
    await audit('record-with-file');
  }, 120_000);

  it('before any report, the database holds no name or metadata, and no staff or recovery key opens the file', async () => {
    const uploads = await db().selectFrom('uploads').selectAll().execute();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ state: 'complete', case_id: null });
    const rows = JSON.stringify(uploads);
    for (const s of [PHOTO, 'image/jpeg', SECOND]) expect(rows).not.toContain(s);
    for (const c of await db().selectFrom('attachment_chunks').select('data').execute()) {
      for (const s of [SERIAL, CAMERA, 'Exif', PHOTO]) expect(Buffer.from(c.data).includes(s)).toBe(false);
    }
    const parsed = parseAnyToken(token);
    if (!parsed.ok) throw new Error('token');
    const rec = await db().selectFrom('records').selectAll().executeTakeFirstOrThrow();
    const recordKey: SymmetricKey = unwrapRecordKey(recordSession(parsed.token).wrapKey, fromB64u(rec.id), fromB64u(rec.holder_key!));
    const pk = deriveReporterKeyPair(parsed.token as CaseToken).publicKey;
    const meta = { nonce: uploads[0]!.meta_nonce, ct: uploads[0]!.meta_ct };
    // The holder's key opens it; not one key a stored wrap gives to staff or the recovery key does.
    expect(openAttachmentMeta(recordKey, pk, fromB64u(uploads[0]!.id), meta).name).toBe(PHOTO);
    const wraps = await db().selectFrom('case_keys').selectAll().execute();
    expect(wraps.length).toBeGreaterThan(0);
    const opens = wraps.filter((w) => {
      try {
        const kp = w.kind === 'recovery' ? demoRecoveryKeyPair() : demoStaffKeyPair(w.recipient_id);
        return openAttachmentMeta(unwrapKey(kp, fromB64u(w.sealed)), pk, fromB64u(uploads[0]!.id), meta).name === PHOTO;
      } catch {
        return false;
      }
    });
    expect(opens).toEqual([]);
  });

  it('turns into a report; the officer sees the entry with its file, downloads it clean and checks its receipt', async () => {
    await newVisit();
    // Back with the token alone, the holder finds the file with its entry, and can still download it.
    await expect.poll(() => page.getByTestId('entry-file').count(), { timeout: 20_000 }).toBe(1);
    const again = page.getByTestId('record-entry').nth(1);
    const [back] = await Promise.all([page.waitForEvent('download'), again.getByRole('button', { name: `Download ${PHOTO}` }).click()]);
    expect(readFileSync((await back.path()) as string).equals(Buffer.from(tinyJpeg()))).toBe(true);
    await page.getByRole('link', { name: 'Turn my record into a report' }).click();
    await waitForHeading(page, 'Turn your record into a report');
    expect(await page.locator('main').innerText()).toContain('and its files (1 in all)');
    await page.locator('#category-bullying').check();
    await page.locator('#unit-nw-response-camden').check();
    await page.locator('#note').fill('My record, with the photo of the whiteboard.');
    await page.locator('#mode').check(); // stay anonymous
    await page.getByRole('button', { name: 'Send report' }).click();
    await waitForHeading(page, 'Report sent');
    const caseRef = (await page.getByTestId('case-ref').innerText()).trim();
    expect(JSON.parse(fileReceipt).caseRef).toBe(caseRef);
    const moved = await db().selectFrom('uploads').selectAll().executeTakeFirstOrThrow();
    expect(moved.case_id).not.toBeNull();
    expect(moved.access_hash).toBeNull();

    const staffContext = await browser.newContext({ acceptDownloads: true });
    const staff = await staffContext.newPage();
    await signInToInbox(staff, portal.url, OFFICER);
    await staff.getByRole('link', { name: caseRef }).click();
    await staff.locator('#knows-people-no').check({ timeout: 20_000 });
    await staff.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => staff.getByTestId('record-entry').count(), { timeout: 20_000 }).toBe(2);
    const entry = staff.getByTestId('record-entry').nth(1);
    expect(await entry.innerText()).toContain(SECOND);
    await expect.poll(() => entry.getByTestId('entry-file').count(), { timeout: 20_000 }).toBe(1);
    const [d] = await Promise.all([staff.waitForEvent('download'), entry.getByRole('button', { name: `Download ${PHOTO}` }).click()]);
    expect(d.suggestedFilename()).toBe(PHOTO);
    const jpeg = readFileSync((await d.path()) as string);
    expect(jpeg.equals(Buffer.from(tinyJpeg()))).toBe(true);
    expect(await exifr.parse(jpeg, { gps: true, xmp: true, iptc: true })).toBeUndefined();
    // The holder's file receipt, checked by the team against what the case holds.
    await staff.locator('#receipt-check').fill(fileReceipt);
    await staff.getByRole('button', { name: 'Check receipt' }).click();
    await expect.poll(() => staff.getByTestId('receipt-check-result').innerText(), { timeout: 20_000 })
      .toContain('Match. The receipt is genuine and matches an attachment received on');
    const staffCdp = await staffContext.newCDPSession(staff);
    problems.push(...(await auditLayouts(staff, staffCdp, 'record-files', 'triage-case')).map((p) => `triage-case: ${p}`));
  }, 120_000);

  it('has no axe violations or reflow problems on any of those pages', () => {
    expect(problems).toEqual([]);
  });
});
